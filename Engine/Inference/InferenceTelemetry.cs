using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Engine.Inference;

/// <summary>
/// The engine's metrics and spans, on the runtime's own <see cref="Meter"/> and <see cref="ActivitySource"/>:
/// any OpenTelemetry pipeline that adds <see cref="Name"/> collects them; with none listening they cost next to nothing.
/// </summary>
/// <remarks>Names follow OpenTelemetry's conventions, durations in seconds, under the <c>digits.</c> prefix.</remarks>
public static class InferenceTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Digits.Inference";

    // From 100 µs to 10 s: a batch of small networks takes well under a millisecond, an overloaded queue seconds.
    private static readonly IReadOnlyList<double> SecondsBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>The engine's meter.</summary>
    public static Meter Meter { get; } = new(Name);

    /// <summary>The engine's spans: decoding, preprocessing, queue wait and inference.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>How long images waited in a model's queue before their batch ran.</summary>
    internal static Histogram<double> QueueWait { get; } = Meter.CreateHistogram(
        "digits.inference.queue.duration", "s", "Time an image waited in its model's queue before its batch ran.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>How long one forward pass took.</summary>
    internal static Histogram<double> BatchDuration { get; } = Meter.CreateHistogram(
        "digits.inference.duration", "s", "Time one forward pass (a batch) took on its backend.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>Images per forward pass.</summary>
    internal static Histogram<int> BatchSize { get; } = Meter.CreateHistogram(
        "digits.inference.batch.size", "{image}", "Images per forward pass.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });

    /// <summary>Images offered to a model's batcher, by outcome.</summary>
    internal static Counter<long> Images { get; } = Meter.CreateCounter<long>(
        "digits.inference.images", "{image}", "Images offered to a model, by outcome: completed, queue_full, timed_out, cancelled, stopped.");

    /// <summary>Bucket boundaries for durations in seconds, for other histograms of the service.</summary>
    public static InstrumentAdvice<double> SecondsAdvice { get; } = new() { HistogramBucketBoundaries = SecondsBuckets };

    /// <summary>The tag value of an <see cref="InferenceStatus"/>.</summary>
    public static string OutcomeOf(InferenceStatus status) => status switch
    {
        InferenceStatus.Completed => "completed",
        InferenceStatus.QueueFull => "queue_full",
        InferenceStatus.TimedOut => "timed_out",
        InferenceStatus.Cancelled => "cancelled",
        _ => "stopped",
    };
}
