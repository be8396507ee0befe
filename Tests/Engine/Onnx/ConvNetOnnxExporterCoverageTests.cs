using Engine.Activations;
using Engine.Onnx;

namespace Tests.Engine.Onnx;

/// <summary>The exporter and the activations the service offers must not drift apart.</summary>
public sealed class ConvNetOnnxExporterCoverageTests
{
    [Fact]
    public void Every_served_activation_can_be_exported_and_nothing_else_is_claimed()
    {
        Assert.Equal(ActivationFunctions.Ids.Order(), ConvNetOnnxExporter.ActivationIds.Order());
    }

    [Fact]
    public void The_reference_kernels_are_not_exportable()
    {
        foreach (ActivationFunction reference in ActivationFunctions.Kernels.Except(ActivationFunctions.All))
        {
            Assert.DoesNotContain(reference.Id, ConvNetOnnxExporter.ActivationIds);
        }
    }
}
