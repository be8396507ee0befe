using Engine.Inference;

namespace Tests.Engine.Inference;

/// <summary>
/// A backend whose forward passes wait at a gate the test opens, so that a test can hold a batch running while
/// it queues more. Each image's "probabilities" are its first pixel in every class, so answers can be traced, or,
/// given an inner backend, that backend's answers.
/// </summary>
internal sealed class GatedBackend(IInferenceBackend? inner = null) : IInferenceBackend
{
    private readonly SemaphoreSlim gate = new(0);
    private readonly SemaphoreSlim started = new(0);

    public List<int> BatchSizes { get; } = [];

    public string Name => "gated";

    public string Device => InferenceDevice.Cpu;

    /// <summary>Lets <paramref name="passes"/> forward passes through.</summary>
    public void Open(int passes = int.MaxValue / 2) => gate.Release(passes);

    /// <summary>Waits until a forward pass has started (and is held at the gate).</summary>
    public Task WaitForPassAsync() => started.WaitAsync(TimeSpan.FromSeconds(10));

    public void Classify(ReadOnlySpan<float> images, Span<float> probabilities)
    {
        int count = images.Length / DigitModel.ImageSize;
        lock (BatchSizes)
        {
            BatchSizes.Add(count);
        }
        started.Release();
        if (!gate.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("The test never opened the gate.");
        }
        if (inner is not null)
        {
            inner.Classify(images, probabilities);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            probabilities.Slice(i * DigitModel.Classes, DigitModel.Classes).Fill(images[i * DigitModel.ImageSize]);
        }
    }

    public void Dispose()
    {
        gate.Dispose();
        started.Dispose();
    }
}
