using System.Diagnostics;

namespace Engine.Imaging;

/// <summary>
/// The time budget of one decode: the caller's token linked with a deadline.
/// </summary>
/// <remarks>
/// The deadline is checked directly (a timestamp comparison) wherever <see cref="ThrowIfExceeded"/> is called,
/// so it holds even when the thread pool is too busy to run timer callbacks. <see cref="Token"/> is what
/// decoders that check a token themselves (ImageSharp's JPEG decoder) see; it is cancelled by a timer at the
/// deadline and by the first <see cref="ThrowIfExceeded"/> past it, whichever comes first.
/// </remarks>
internal sealed class DecodeBudget : IDisposable
{
    private readonly CancellationTokenSource source;
    private readonly long deadline;

    public DecodeBudget(TimeSpan timeout, CancellationToken callerToken)
    {
        CallerToken = callerToken;
        source = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        source.CancelAfter(timeout);
        deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The caller's own token.</summary>
    public CancellationToken CallerToken { get; }

    /// <summary>Cancelled when the caller cancels or the deadline passes.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>Throws <see cref="OperationCanceledException"/> once the caller cancelled or the deadline passed.</summary>
    public void ThrowIfExceeded()
    {
        CallerToken.ThrowIfCancellationRequested();
        if (Stopwatch.GetTimestamp() > deadline)
        {
            source.Cancel();
        }

        source.Token.ThrowIfCancellationRequested();
    }

    public void Dispose() => source.Dispose();
}
