using System.ComponentModel.DataAnnotations;

namespace Engine.Inference;

/// <summary>
/// Dynamic batching and admission control per model, in Triton's vocabulary; bound from the <c>Batching</c>
/// configuration section.
/// </summary>
public sealed class BatchingOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Batching";

    /// <summary>
    /// Whether requests are gathered into batches by a worker per model. Off, each request runs on its own
    /// thread, still admitted only while fewer than <see cref="MaxQueueSize"/> are in flight.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most images one forward pass runs (Triton's <c>max_batch_size</c>).</summary>
    [Range(1, 1024, ErrorMessage = "Batching:MaxBatchSize must be between 1 and 1024.")]
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// How long a worker holding fewer than <see cref="MaxBatchSize"/> images waits for more before it runs
    /// them (Triton's <c>max_queue_delay_microseconds</c>). 0, the default, runs whatever has queued at once:
    /// under load the queue fills while the previous batch runs, so batches form without adding latency. The worker
    /// sleeps in whole milliseconds, rounded up: a delay under 1,000 µs may wait up to 1 ms.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "Batching:MaxQueueDelayMicroseconds must be between 0 and 1,000,000.")]
    public int MaxQueueDelayMicroseconds { get; set; }

    /// <summary>
    /// The most images a model takes at once, from admission to answer (Triton's <c>max_queue_size</c>): a request
    /// beyond it is refused at once, before its upload is read or decoded, with 503 and <c>Retry-After</c>, rather than
    /// queued behind work that cannot finish in time; the requests taken keep their latency. Default 32, one full
    /// batch: under overload an accepted request waits about this many images at the rate the worker drains them,
    /// and 32 keeps the accepted requests' p99 near 4× that of normal load (docs/benchmarks/http.md).
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Batching:MaxQueueSize must be between 1 and 1,000,000.")]
    public int MaxQueueSize { get; set; } = 32;

    /// <summary>
    /// The longest an image may wait in the queue (Triton's <c>default_timeout_microseconds</c>, in
    /// milliseconds here); one still waiting then is dropped and answered 503.
    /// </summary>
    [Range(1, 600_000, ErrorMessage = "Batching:QueueTimeoutMilliseconds must be between 1 and 600,000.")]
    public int QueueTimeoutMilliseconds { get; set; } = 2_000;

    /// <summary>Workers per model, each running one batch at a time (Triton's <c>instance_group</c> count).</summary>
    [Range(1, 64, ErrorMessage = "Batching:Instances must be between 1 and 64.")]
    public int Instances { get; set; } = 1;
}
