namespace Tests.Api;

/// <summary>
/// Tests that read what the service's metrics exporter publishes run alone: the engine's meter is process-wide, and
/// other test hosts started meanwhile would add their measurements and their meters' churn to the scrape.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
