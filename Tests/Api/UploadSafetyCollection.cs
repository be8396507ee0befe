namespace Tests.Api;

/// <summary>
/// The upload safety tests measure the whole process (allocations, CPU time, latency), so they run on their
/// own, after the tests that run in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UploadSafetyCollection
{
    public const string Name = "Upload safety";
}
