using Engine.Activations;
using Engine.Inference;
using Engine.Networks;

namespace Tests.Engine.Inference;

public sealed class DynamicBatcherTests
{
    private static float[] Image(float firstPixel, int seed = 0)
    {
        var random = new Random(seed);
        var image = new float[DigitModel.ImageSize];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = (float)random.NextDouble();
        }
        image[0] = firstPixel;
        return image;
    }

    [Theory]
    [InlineData("baseline", true)]
    [InlineData("enhanced", true)]
    [InlineData("enhanced", false)]
    public async Task Batched_answers_are_identical_to_one_image_at_a_time(string architecture, bool batching)
    {
        Network network = Network.Create(NetworkArchitecture.Get(architecture), ActivationFunctions.ReluSoftsign, seed: 3);
        using var managed = new ManagedBackend(network);
        using var backend = new GatedBackend(managed);
        await using var batcher = new DynamicBatcher(backend, new BatchingOptions { Enabled = batching, MaxBatchSize = 8, MaxQueueSize = 256 });
        var sizes = new List<int>();
        batcher.BatchCompleted += size => { lock (sizes) { sizes.Add(size); } };
        float[][] images = Enumerable.Range(0, 64).Select(i => Image(i / 64f, seed: i)).ToArray();
        float[][] batched = images.Select(_ => new float[DigitModel.Classes]).ToArray();

        // The first image holds the runner at the gate while the others queue behind it.
        Task<InferenceStatus> first = Task.Run(() => batcher.ClassifyAsync(images[0], batched[0], CancellationToken.None));
        await backend.WaitForPassAsync();
        Task<InferenceStatus>[] rest = images.Skip(1)
            .Select((image, i) => batching ? batcher.ClassifyAsync(image, batched[i + 1], CancellationToken.None)
                                           : Task.Run(() => batcher.ClassifyAsync(image, batched[i + 1], CancellationToken.None)))
            .ToArray();
        backend.Open();
        InferenceStatus[] statuses = [await first, .. await Task.WhenAll(rest)];

        Assert.All(statuses, status => Assert.Equal(InferenceStatus.Completed, status));
        for (int i = 0; i < images.Length; i++)
        {
            var alone = new float[DigitModel.Classes];
            backend.Classify(images[i], alone);
            Assert.Equal(alone, batched[i]);
        }
        Assert.Equal(images.Length, sizes.Sum());
        Assert.All(sizes, size => Assert.InRange(size, 1, batching ? 8 : 1));
        Assert.Equal(batching, sizes.Contains(8));
    }

    [Fact]
    public async Task Requests_that_queue_while_a_batch_runs_form_the_next_batch()
    {
        using var backend = new GatedBackend();
        await using var batcher = new DynamicBatcher(backend, new BatchingOptions { MaxBatchSize = 4, MaxQueueSize = 64 });

        Task<InferenceStatus> first = Task.Run(() => batcher.ClassifyAsync(Image(0.5f), new float[10], CancellationToken.None));
        await backend.WaitForPassAsync();
        var outputs = Enumerable.Range(0, 6).Select(_ => new float[10]).ToArray();
        Task<InferenceStatus>[] queued = outputs.Select((output, i) => batcher.ClassifyAsync(Image(i), output, CancellationToken.None)).ToArray();
        backend.Open();

        Assert.Equal(InferenceStatus.Completed, await first);
        Assert.All(await Task.WhenAll(queued), status => Assert.Equal(InferenceStatus.Completed, status));
        Assert.Equal([1, 4, 2], backend.BatchSizes);
        for (int i = 0; i < outputs.Length; i++)
        {
            Assert.All(outputs[i], p => Assert.Equal(i, p));
        }
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once()
    {
        using var backend = new GatedBackend();
        await using var batcher = new DynamicBatcher(backend, new BatchingOptions { MaxBatchSize = 1, MaxQueueSize = 3 });

        Task<InferenceStatus> running = Task.Run(() => batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None));
        await backend.WaitForPassAsync();
        Task<InferenceStatus>[] queued = Enumerable.Range(0, 3).Select(_ => batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None)).ToArray();
        Task<InferenceStatus> refused = batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None);

        Assert.True(refused.IsCompleted);
        Assert.Equal(InferenceStatus.QueueFull, await refused);
        Assert.Equal(3, batcher.QueueDepth);
        backend.Open();
        Assert.Equal(InferenceStatus.Completed, await running);
        Assert.All(await Task.WhenAll(queued), status => Assert.Equal(InferenceStatus.Completed, status));
    }

    [Fact]
    public async Task A_request_whose_caller_left_is_answered_at_once_and_never_run()
    {
        using var backend = new GatedBackend();
        await using var batcher = new DynamicBatcher(backend, new BatchingOptions { MaxBatchSize = 8 });
        Task<InferenceStatus> running = Task.Run(() => batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None));
        await backend.WaitForPassAsync();

        using var leaving = new CancellationTokenSource();
        var abandonedOutput = new float[10];
        Task<InferenceStatus> abandoned = batcher.ClassifyAsync(Image(7), abandonedOutput, leaving.Token);
        Task<InferenceStatus> kept = batcher.ClassifyAsync(Image(3), new float[10], CancellationToken.None);
        await leaving.CancelAsync();

        Assert.Equal(InferenceStatus.Cancelled, await abandoned.WaitAsync(TimeSpan.FromSeconds(5)));
        backend.Open();
        Assert.Equal(InferenceStatus.Completed, await running);
        Assert.Equal(InferenceStatus.Completed, await kept);
        Assert.Equal([1, 1], backend.BatchSizes);
        Assert.All(abandonedOutput, p => Assert.Equal(0, p));
    }

    [Fact]
    public async Task A_request_past_its_queue_deadline_is_dropped()
    {
        using var backend = new GatedBackend();
        await using var batcher = new DynamicBatcher(backend, new BatchingOptions { MaxBatchSize = 8, QueueTimeoutMilliseconds = 20 });
        Task<InferenceStatus> running = Task.Run(() => batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None));
        await backend.WaitForPassAsync();

        Task<InferenceStatus> late = batcher.ClassifyAsync(Image(1), new float[10], CancellationToken.None);
        await Task.Delay(100);
        backend.Open();

        Assert.Equal(InferenceStatus.Completed, await running);
        Assert.Equal(InferenceStatus.TimedOut, await late);
        Assert.Equal([1], backend.BatchSizes);
    }

    [Fact]
    public async Task Without_batching_admission_is_still_bounded()
    {
        using var backend = new GatedBackend();
        await using var batcher = new DynamicBatcher(backend, new BatchingOptions { Enabled = false, MaxQueueSize = 1 });

        Task<InferenceStatus> running = Task.Run(() => batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None));
        await backend.WaitForPassAsync();
        InferenceStatus refused = await batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None);
        backend.Open();

        Assert.Equal(InferenceStatus.QueueFull, refused);
        Assert.Equal(InferenceStatus.Completed, await running);
    }

    [Fact]
    public async Task Stopping_answers_the_queued_requests()
    {
        using var backend = new GatedBackend();
        var batcher = new DynamicBatcher(backend, new BatchingOptions { MaxBatchSize = 1 });
        Task<InferenceStatus> running = Task.Run(() => batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None));
        await backend.WaitForPassAsync();
        Task<InferenceStatus> queued = batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None);

        ValueTask stopping = batcher.DisposeAsync();
        backend.Open();
        await stopping;

        Assert.Equal(InferenceStatus.Completed, await running);
        Assert.Equal(InferenceStatus.Stopped, await queued);
        Assert.Equal(InferenceStatus.Stopped, await batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None));
    }

    [Fact]
    public async Task A_request_that_finds_the_queue_empty_runs_at_once_on_its_callers_thread()
    {
        using var backend = new GatedBackend();
        await using var batcher = new DynamicBatcher(backend, new BatchingOptions { MaxBatchSize = 8 });
        backend.Open();

        Task<InferenceStatus> alone = batcher.ClassifyAsync(Image(5), new float[10], CancellationToken.None);

        Assert.True(alone.IsCompletedSuccessfully);
        Assert.Equal(InferenceStatus.Completed, await alone);
        Assert.Equal([1], backend.BatchSizes);
    }

    [Fact]
    public async Task A_queued_request_gets_queue_wait_and_inference_spans_under_its_own()
    {
        var spans = new List<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == InferenceTelemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var backend = new GatedBackend();
        await using var batcher = new DynamicBatcher(backend, new BatchingOptions(), "traced");
        Task<InferenceStatus> running = Task.Run(() => batcher.ClassifyAsync(Image(0), new float[10], CancellationToken.None));
        await backend.WaitForPassAsync();

        using var request = new System.Diagnostics.Activity("request").Start();
        Task<InferenceStatus> queued = batcher.ClassifyAsync(Image(1), new float[10], CancellationToken.None);
        request.Stop();
        backend.Open();
        await running;
        Assert.Equal(InferenceStatus.Completed, await queued);

        System.Diagnostics.Activity[] mine;
        lock (spans)
        {
            mine = spans.Where(s => s.TraceId == request.TraceId).ToArray();
        }
        System.Diagnostics.Activity wait = Assert.Single(mine, s => s.OperationName == "queue wait");
        System.Diagnostics.Activity inference = Assert.Single(mine, s => s.OperationName == "inference");
        Assert.Equal(request.SpanId, wait.ParentSpanId);
        Assert.Equal(request.SpanId, inference.ParentSpanId);
        Assert.Equal("traced", inference.GetTagItem("model"));
        Assert.Equal(1, inference.GetTagItem("batch.size"));
        Assert.True(wait.StartTimeUtc + wait.Duration <= inference.StartTimeUtc + TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Admission_is_refused_beyond_the_queue_size_and_freed_when_the_request_ends()
    {
        using var backend = new GatedBackend();
        await using var batcher = new DynamicBatcher(backend, new BatchingOptions { MaxQueueSize = 3 });

        Assert.True(batcher.TryAdmit(2, out DynamicBatcher.Admission first));
        Assert.True(batcher.TryAdmit(1, out DynamicBatcher.Admission second));
        Assert.False(batcher.TryAdmit(1, out _));
        Assert.Equal(3, batcher.Admitted);
        first.Dispose();
        Assert.True(batcher.TryAdmit(2, out DynamicBatcher.Admission third));
        second.Dispose();
        third.Dispose();
        Assert.Equal(0, batcher.Admitted);
        Assert.False(batcher.TryAdmit(4, out _));
        Assert.Equal(0, batcher.Admitted);
    }

    [Fact]
    public async Task A_wrongly_sized_image_is_an_argument_error()
    {
        using var backend = new GatedBackend();
        await using var batcher = new DynamicBatcher(backend, new BatchingOptions());

        Assert.Throws<ArgumentException>(() => { _ = batcher.ClassifyAsync(new float[10], new float[10], CancellationToken.None); });
        Assert.Throws<ArgumentException>(() => { _ = batcher.ClassifyAsync(new float[DigitModel.ImageSize], new float[9], CancellationToken.None); });
    }
}
