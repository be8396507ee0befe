using Engine.Activations;
using Engine.Onnx;

namespace Tests.Engine.Onnx;

/// <summary>The exporter and the activations the service offers must not drift apart.</summary>
public sealed class NetworkOnnxExporterCoverageTests
{
    [Fact]
    public void Every_served_activation_can_be_exported_and_nothing_else_is_claimed()
    {
        Assert.Equal(ActivationFunctions.All.Select(a => a.Id).Order(StringComparer.Ordinal), NetworkOnnxExporter.ActivationIds.Order(StringComparer.Ordinal));
        Assert.Equal(ActivationFunctions.Ids.Order(StringComparer.Ordinal), NetworkOnnxExporter.ActivationIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_reference_kernels_are_not_exportable()
    {
        ActivationFunction[] references = [.. ActivationFunctions.Kernels.Except(ActivationFunctions.All)];
        Assert.NotEmpty(references);
        foreach (ActivationFunction reference in references)
        {
            Assert.DoesNotContain(reference.Id, NetworkOnnxExporter.ActivationIds);
        }
    }
}
