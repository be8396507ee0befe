namespace Contracts;

/// <summary>A model of the models folder: whether it serves, on what, and its card.</summary>
/// <param name="Name">The model's name, e.g. <c>enhanced-relu_softsign</c>.</param>
/// <param name="State"><c>ready</c> (serving), <c>loading</c>, <c>failed</c> or <c>unloaded</c> (by an operator, through POST /v2/repository/models/{name}/unload).</param>
/// <param name="Reason">Why it does not serve; absent when ready.</param>
/// <param name="Backend">What runs it when ready: <c>managed</c>, <c>onnxruntime</c> or <c>onnxruntime-cuda</c>.</param>
/// <param name="Device">The device it runs on when ready: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="Default">Whether it answers requests that name no model and no activation.</param>
/// <param name="Card">Its model card, when one could be read.</param>
/// <param name="Version">The version: its folder's number in the <c>NAME/VERSION/</c> layout, <c>1</c> for a card at the top of the models folder.</param>
public sealed record ModelInfo(string Name, string State, string? Reason, string? Backend, string? Device, bool Default, ModelCard? Card, string Version = "1");
