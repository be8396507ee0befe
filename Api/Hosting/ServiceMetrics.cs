using System.Diagnostics.Metrics;
using Engine.Inference;

namespace Api.Hosting;

/// <summary>
/// The service's own metrics beside the engine's (<see cref="InferenceTelemetry"/>) and ASP.NET Core's: decoding and
/// preprocessing time, each model's queue depth, and how many models serve or failed.
/// </summary>
public sealed class ServiceMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Digits.Service";

    private readonly Histogram<double> preprocessing;

    public ServiceMetrics(IMeterFactory meterFactory, ModelStore store)
    {
        Meter meter = meterFactory.Create(MeterName);
        preprocessing = meter.CreateHistogram(
            "digits.preprocess.duration", "s", "Time to decode an upload and turn it into the 28×28 input.",
            advice: InferenceTelemetry.SecondsAdvice);
        meter.CreateObservableGauge(
            "digits.inference.queue.depth",
            () => store.Catalog.Models.Select(m => new Measurement<int>(m.Batcher.QueueDepth, new KeyValuePair<string, object?>("model", m.Name))),
            "{image}",
            "Images waiting in each model's queue.");
        meter.CreateObservableGauge(
            "digits.models",
            () => Enum.GetValues<ModelState>().Select(state => new Measurement<int>(
                store.Catalog.Entries.Count(e => e.State == state),
                new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()))),
            "{model}",
            "Models of the models folder by state: ready, loading, failed.");
    }

    /// <summary>Records one upload's decoding and preprocessing time.</summary>
    public void RecordPreprocessing(TimeSpan elapsed) => preprocessing.Record(elapsed.TotalSeconds);
}
