using System.Diagnostics.CodeAnalysis;
using Engine.Networks;

namespace Engine.Onnx;

/// <summary>Placeholder until the importer lands.</summary>
public static class OnnxNetworkImporter
{
    /// <summary>Placeholder.</summary>
    public static bool TryImport(ReadOnlySpan<byte> model, [NotNullWhen(true)] out Network? network, [NotNullWhen(false)] out string? reason)
    {
        network = null;
        reason = "not implemented";
        return false;
    }
}
