namespace Engine.Inference;

/// <summary>
/// Wakes threads that sleep until work is queued, without spinning: a sleeper blocks at once, and a producer pays
/// for a wake-up only while someone sleeps.
/// </summary>
/// <remarks>
/// <see cref="SemaphoreSlim"/> spins before it blocks and takes a lock on every release. On a machine with few cores
/// a batch worker that spins between batches takes CPU time from the requests that would fill its next batch: on
/// two cores, the batcher's spinning was about a tenth of the service's CPU under load.
/// </remarks>
internal sealed class WorkSignal
{
    private readonly object gate = new();
    private int sleepers;

    /// <summary>Wakes every sleeper. Call after the work is visible to them (e.g. after it is enqueued).</summary>
    public void Notify()
    {
        // Pairs with the barrier in Wait: either the sleeper sees the new work, or the producer sees the sleeper.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref sleepers) > 0)
        {
            NotifyAll();
        }
    }

    /// <summary>Wakes every sleeper, whatever the state of the work (e.g. when stopping).</summary>
    public void NotifyAll()
    {
        lock (gate)
        {
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>Sleeps until <paramref name="hasWork"/> is true, <paramref name="timeout"/> passes, or a stop wakes it.</summary>
    /// <param name="hasWork">Whether there is work; called under the signal's lock, so it must be cheap and not block.</param>
    /// <param name="timeout">How long to sleep at most; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="stopping">Ends the wait; its cancellation must call <see cref="NotifyAll"/>.</param>
    /// <returns>Whether there is work.</returns>
    public bool Wait(Func<bool> hasWork, TimeSpan timeout, CancellationToken stopping)
    {
        if (hasWork())
        {
            return true;
        }
        long until = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        lock (gate)
        {
            Interlocked.Increment(ref sleepers);
            try
            {
                while (!hasWork())
                {
                    stopping.ThrowIfCancellationRequested();
                    if (until == long.MaxValue)
                    {
                        Monitor.Wait(gate);
                        continue;
                    }
                    long left = until - Environment.TickCount64;
                    if (left <= 0)
                    {
                        return false;
                    }
                    Monitor.Wait(gate, (int)Math.Min(left, int.MaxValue));
                }
                return true;
            }
            finally
            {
                Interlocked.Decrement(ref sleepers);
            }
        }
    }
}
