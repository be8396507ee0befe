using System.Collections.Concurrent;
using System.Diagnostics;

namespace Engine.Inference;

/// <summary>
/// Admission control and dynamic batching in front of one model's backend. Requests enter a bounded queue
/// (full: refused at once); a worker takes whatever has queued, up to <see cref="BatchingOptions.MaxBatchSize"/>
/// images, optionally waits <see cref="BatchingOptions.MaxQueueDelayMicroseconds"/> for more, drops those whose
/// caller has left or whose deadline has passed, runs one forward pass and completes each request.
/// </summary>
/// <remarks>
/// A request that finds the queue empty and a worker's slot free runs at once on its caller's thread, as a batch of
/// one: at low load no request waits for a hand-off. The workers are threads of their own, not thread-pool work, and
/// a request completed by a worker continues on that worker's thread: under overload the thread pool's queue holds
/// hundreds of requests about to be refused, and neither a waking worker nor an answered request waits behind them. With batching off, requests run on their callers' threads, still admitted only while fewer than
/// <see cref="BatchingOptions.MaxQueueSize"/> are in flight. Either way a request's answer is the same:
/// every image's probabilities are computed independently of the others in its batch.
/// </remarks>
public sealed class DynamicBatcher : IAsyncDisposable
{
    private readonly IInferenceBackend backend;
    private readonly BatchingOptions options;
    private readonly ConcurrentQueue<PendingInference>? queue;
    // Wakes a sleeping worker when a request is queued.
    private readonly WorkSignal? queued;
    private readonly Task[] workers;
    private readonly CancellationTokenSource stopping = new();
    // One forward pass at a time per instance, whether a worker or a caller runs it.
    private readonly SemaphoreSlim runners;
    private readonly long queueTimeoutTicks;
    private readonly TagList tags;
    private int inFlight;
    private int admitted;
    private int queueLength;

    /// <summary>Starts the workers (none with batching off).</summary>
    /// <param name="backend">What runs the batches.</param>
    /// <param name="options">Batch size, queue size, delays and deadlines.</param>
    /// <param name="model">The model's name, for metrics and spans.</param>
    public DynamicBatcher(IInferenceBackend backend, BatchingOptions options, string model = "")
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        this.backend = backend;
        this.options = options;
        tags = new TagList { { "model", model }, { "backend", backend.Name } };
        runners = new SemaphoreSlim(options.Instances, options.Instances);
        queueTimeoutTicks = options.QueueTimeoutMilliseconds * Stopwatch.Frequency / 1000;
        if (!options.Enabled)
        {
            workers = [];
            return;
        }

        queue = new ConcurrentQueue<PendingInference>();
        queued = new WorkSignal();
        stopping.Token.UnsafeRegister(static signal => ((WorkSignal)signal!).NotifyAll(), queued);
        workers = new Task[options.Instances];
        for (int i = 0; i < workers.Length; i++)
        {
            var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() => RunWorker(finished))
            {
                IsBackground = true,
                Name = $"batcher {model}",
            };
            thread.Start();
            workers[i] = finished.Task;
        }
    }

    /// <summary>Images waiting for a batch now.</summary>
    public int QueueDepth => queue is null ? Volatile.Read(ref inFlight) : Volatile.Read(ref queueLength);

    /// <summary>Images admitted by <see cref="TryAdmit"/> and not yet answered.</summary>
    public int Admitted => Volatile.Read(ref admitted);

    /// <summary>
    /// Admits a request of <paramref name="images"/> images before any work is spent on it (reading, decoding), while
    /// fewer than <see cref="BatchingOptions.MaxQueueSize"/> are admitted; refused, it should be answered at once
    /// (503), so that under overload the requests that are taken keep their latency. Dispose the admission when the
    /// request is answered.
    /// </summary>
    public bool TryAdmit(int images, out Admission admission)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(images);
        if (Interlocked.Add(ref admitted, images) > options.MaxQueueSize)
        {
            Interlocked.Add(ref admitted, -images);
            TagList outcome = tags;
            outcome.Add("outcome", InferenceTelemetry.OutcomeOf(InferenceStatus.QueueFull));
            InferenceTelemetry.Images.Add(images, outcome);
            admission = default;
            return false;
        }
        admission = new Admission(this, images);
        return true;
    }

    /// <summary>A request's place among the admitted ones; disposing it frees the place.</summary>
    public readonly struct Admission(DynamicBatcher batcher, int images) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose()
        {
            if (batcher is not null)
            {
                Interlocked.Add(ref batcher.admitted, -images);
            }
        }
    }

    /// <summary>Called after every forward pass with the number of images it ran; for metrics.</summary>
    public event Action<int>? BatchCompleted;

    /// <summary>
    /// Classifies one 28×28 image (<see cref="DigitModel.ImageSize"/> floats) into <paramref name="probabilities"/>
    /// (<see cref="DigitModel.Classes"/> floats), which is written only when the answer is <see cref="InferenceStatus.Completed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The spans have the wrong lengths.</exception>
    public Task<InferenceStatus> ClassifyAsync(ReadOnlyMemory<float> image, Memory<float> probabilities, CancellationToken cancellationToken)
    {
        if (image.Length != DigitModel.ImageSize)
        {
            throw new ArgumentException($"Expected one image of {DigitModel.ImageSize} floats, got {image.Length}.", nameof(image));
        }
        if (probabilities.Length != DigitModel.Classes)
        {
            throw new ArgumentException($"Expected {DigitModel.Classes} floats for the probabilities, got {probabilities.Length}.", nameof(probabilities));
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return Answered(InferenceStatus.Cancelled);
        }
        if (stopping.IsCancellationRequested)
        {
            return Answered(InferenceStatus.Stopped);
        }
        return queue is null ? RunInline(image, probabilities) : Enqueue(image, probabilities, cancellationToken);
    }

    private Task<InferenceStatus> Answered(InferenceStatus status)
    {
        Count(status);
        return Task.FromResult(status);
    }

    private void Count(InferenceStatus status)
    {
        TagList outcome = tags;
        outcome.Add("outcome", InferenceTelemetry.OutcomeOf(status));
        InferenceTelemetry.Images.Add(1, outcome);
    }

    private Task<InferenceStatus> Enqueue(ReadOnlyMemory<float> image, Memory<float> probabilities, CancellationToken cancellationToken)
    {
        // Nothing waiting and a runner free: a batch of one now, on the caller's thread, costs no hand-off and no
        // wait. Under load the queue is never empty, and batches form as usual.
        if (Volatile.Read(ref queueLength) == 0 && runners.Wait(0))
        {
            try
            {
                return RunAlone(image, probabilities);
            }
            finally
            {
                runners.Release();
            }
        }

        long now = Stopwatch.GetTimestamp();
        // The request's span, so that its queue-wait and inference spans can be its children.
        ActivityContext parent = InferenceTelemetry.Source.HasListeners() ? Activity.Current?.Context ?? default : default;
        var pending = new PendingInference(this, image, probabilities, now, now + queueTimeoutTicks, parent, cancellationToken);
        if (Interlocked.Increment(ref queueLength) > options.MaxQueueSize || stopping.IsCancellationRequested)
        {
            Interlocked.Decrement(ref queueLength);
            pending.Dispose();
            return Answered(stopping.IsCancellationRequested ? InferenceStatus.Stopped : InferenceStatus.QueueFull);
        }
        queue!.Enqueue(pending);
        queued!.Notify();
        return pending.Task;
    }

    private Task<InferenceStatus> RunInline(ReadOnlyMemory<float> image, Memory<float> probabilities)
    {
        try
        {
            return Interlocked.Increment(ref inFlight) > options.MaxQueueSize
                ? Answered(InferenceStatus.QueueFull)
                : RunAlone(image, probabilities);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private Task<InferenceStatus> RunAlone(ReadOnlyMemory<float> image, Memory<float> probabilities)
    {
        using Activity? span = InferenceTelemetry.Source.StartActivity("inference");
        span?.SetTag("model", tags[0].Value).SetTag("backend", backend.Name).SetTag("batch.size", 1);
        // It did not queue: a wait of zero, so that the histogram counts every image run.
        InferenceTelemetry.QueueWait.Record(0, tags);
        long started = Stopwatch.GetTimestamp();
        backend.Classify(image.Span, probabilities.Span);
        RecordBatch(1, Stopwatch.GetElapsedTime(started));
        return Answered(InferenceStatus.Completed);
    }

    private void RecordBatch(int count, TimeSpan duration)
    {
        InferenceTelemetry.BatchDuration.Record(duration.TotalSeconds, tags);
        InferenceTelemetry.BatchSize.Record(count, tags);
        BatchCompleted?.Invoke(count);
    }

    private void RunWorker(TaskCompletionSource finished)
    {
        int maxBatch = options.MaxBatchSize;
        var batch = new List<PendingInference>(maxBatch);
        var images = new float[maxBatch * DigitModel.ImageSize];
        var probabilities = new float[maxBatch * DigitModel.Classes];
        Func<bool> hasQueued = () => !queue!.IsEmpty;
        try
        {
            while (true)
            {
                queued!.Wait(hasQueued, Timeout.InfiniteTimeSpan, stopping.Token);
                runners.Wait(stopping.Token);
                try
                {
                    // A stop that came while this worker waited for a runner: the queued requests are answered Stopped.
                    stopping.Token.ThrowIfCancellationRequested();
                    Take(batch, maxBatch);
                    if (batch.Count < maxBatch && options.MaxQueueDelayMicroseconds > 0)
                    {
                        WaitForMore(batch, maxBatch, hasQueued);
                    }
                    if (batch.Count > 0)
                    {
                        Run(batch, images, probabilities);
                    }
                }
                finally
                {
                    runners.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (PendingInference pending in batch)
            {
                pending.Complete(InferenceStatus.Stopped);
            }
            finished.SetResult();
        }
    }

    // Takes what has queued, up to a full batch, answering at once those nobody waits for any more.
    private void Take(List<PendingInference> batch, int maxBatch)
    {
        while (batch.Count < maxBatch && queue!.TryDequeue(out PendingInference? pending))
        {
            Interlocked.Decrement(ref queueLength);
            if (pending.Task.IsCompleted)
            {
                pending.Dispose();
            }
            else if (Stopwatch.GetTimestamp() > pending.Deadline)
            {
                pending.Complete(InferenceStatus.TimedOut);
            }
            else
            {
                batch.Add(pending);
            }
        }
    }

    private void WaitForMore(List<PendingInference> batch, int maxBatch, Func<bool> hasQueued)
    {
        long until = Stopwatch.GetTimestamp() + options.MaxQueueDelayMicroseconds * Stopwatch.Frequency / 1_000_000;
        while (batch.Count < maxBatch)
        {
            TimeSpan left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
            if (left <= TimeSpan.Zero || !queued!.Wait(hasQueued, left, stopping.Token))
            {
                return;
            }
            Take(batch, maxBatch);
        }
    }

    private void Run(List<PendingInference> batch, float[] images, float[] probabilities)
    {
        // A caller may have left while the batch was forming: do not spend a forward pass on it.
        batch.RemoveAll(pending =>
        {
            if (!pending.Task.IsCompleted)
            {
                return false;
            }
            pending.Dispose();
            return true;
        });
        int count = batch.Count;
        if (count == 0)
        {
            return;
        }
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            PendingInference pending = batch[i];
            pending.Image.Span.CopyTo(images.AsSpan(i * DigitModel.ImageSize, DigitModel.ImageSize));
            InferenceTelemetry.QueueWait.Record(Stopwatch.GetElapsedTime(pending.EnqueuedAt, started).TotalSeconds, tags);
        }
        try
        {
            backend.Classify(images.AsSpan(0, count * DigitModel.ImageSize), probabilities.AsSpan(0, count * DigitModel.Classes));
        }
        catch (Exception exception)
        {
            foreach (PendingInference pending in batch)
            {
                pending.Fail(exception);
            }
            batch.Clear();
            return;
        }
        long finished = Stopwatch.GetTimestamp();
        // Recorded first: each Complete runs its caller's continuation, which may read the metrics.
        RecordBatch(count, Stopwatch.GetElapsedTime(started, finished));
        for (int i = 0; i < count; i++)
        {
            Trace(batch[i], started, finished, count);
            batch[i].Complete(probabilities.AsSpan(i * DigitModel.Classes, DigitModel.Classes));
        }
        batch.Clear();
    }

    // Each request's trace gets its own queue-wait and inference spans, timed by the batch it ran in.
    private void Trace(PendingInference pending, long started, long finished, int count)
    {
        if (pending.Parent == default)
        {
            return;
        }
        DateTimeOffset now = DateTimeOffset.UtcNow;
        long current = Stopwatch.GetTimestamp();
        DateTimeOffset At(long timestamp) => now - Stopwatch.GetElapsedTime(timestamp, current);
        using (Activity? wait = InferenceTelemetry.Source.StartActivity("queue wait", ActivityKind.Internal, pending.Parent, startTime: At(pending.EnqueuedAt)))
        {
            wait?.SetTag("model", tags[0].Value).SetEndTime(At(started).UtcDateTime);
        }
        using Activity? inference = InferenceTelemetry.Source.StartActivity("inference", ActivityKind.Internal, pending.Parent, startTime: At(started));
        inference?.SetTag("model", tags[0].Value).SetTag("backend", backend.Name).SetTag("batch.size", count).SetEndTime(At(finished).UtcDateTime);
    }

    /// <summary>Stops taking requests, answers those still queued <see cref="InferenceStatus.Stopped"/> and waits for the workers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }
        await stopping.CancelAsync();
        await Task.WhenAll(workers).ConfigureAwait(false);
        if (queue is not null)
        {
            while (queue.TryDequeue(out PendingInference? pending))
            {
                pending.Complete(InferenceStatus.Stopped);
            }
        }
        stopping.Dispose();
    }

    /// <summary>One queued image and the task its caller awaits.</summary>
    private sealed class PendingInference : TaskCompletionSource<InferenceStatus>, IDisposable
    {
        private readonly DynamicBatcher owner;
        private readonly CancellationTokenRegistration registration;

        public PendingInference(
            DynamicBatcher owner, ReadOnlyMemory<float> image, Memory<float> probabilities, long enqueuedAt, long deadline,
            ActivityContext parent, CancellationToken cancellationToken)
            // No RunContinuationsAsynchronously: the caller continues on the worker's thread (see the class remarks).
            : base(TaskCreationOptions.None)
        {
            this.owner = owner;
            Image = image;
            Probabilities = probabilities;
            EnqueuedAt = enqueuedAt;
            Deadline = deadline;
            Parent = parent;
            // The caller stops waiting at once; the worker skips the image when it comes to it.
            // The caller's continuation must not run inside whatever cancels its token: it goes to the thread pool.
            registration = cancellationToken.UnsafeRegister(
                static state => ThreadPool.UnsafeQueueUserWorkItem(p => p.Finish(InferenceStatus.Cancelled), (PendingInference)state!, preferLocal: false),
                this);
        }

        public long EnqueuedAt { get; }

        public ActivityContext Parent { get; }

        public ReadOnlyMemory<float> Image { get; }

        public Memory<float> Probabilities { get; }

        public long Deadline { get; }

        public void Complete(ReadOnlySpan<float> probabilities)
        {
            // Written only if the caller still waits: once cancelled, its buffers may already be reused.
            registration.Dispose();
            if (!Task.IsCompleted)
            {
                probabilities.CopyTo(Probabilities.Span);
                Finish(InferenceStatus.Completed);
            }
        }

        public void Complete(InferenceStatus status)
        {
            registration.Dispose();
            Finish(status);
        }

        private void Finish(InferenceStatus status)
        {
            if (TrySetResult(status))
            {
                owner.Count(status);
            }
        }

        public void Fail(Exception exception)
        {
            registration.Dispose();
            TrySetException(exception);
        }

        public void Dispose() => registration.Dispose();
    }
}
