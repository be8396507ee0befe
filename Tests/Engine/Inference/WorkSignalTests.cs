using Engine.Inference;

namespace Tests.Engine.Inference;

public sealed class WorkSignalTests
{
    [Fact]
    public void Wait_returns_at_once_when_there_is_work()
    {
        var signal = new WorkSignal();

        Assert.True(signal.Wait(() => true, Timeout.InfiniteTimeSpan, CancellationToken.None));
    }

    [Fact]
    public void Wait_gives_up_after_its_timeout_when_no_work_comes()
    {
        var signal = new WorkSignal();

        Assert.False(signal.Wait(() => false, TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    [Fact]
    public async Task Notify_wakes_a_sleeper_once_the_work_is_there()
    {
        var signal = new WorkSignal();
        int work = 0;
        Task<bool> sleeper = Task.Factory.StartNew(
            () => signal.Wait(() => Volatile.Read(ref work) > 0, Timeout.InfiniteTimeSpan, CancellationToken.None),
            TaskCreationOptions.LongRunning);
        await Task.Delay(50);
        Assert.False(sleeper.IsCompleted, sleeper.Exception?.ToString());

        Volatile.Write(ref work, 1);
        signal.Notify();

        Assert.True(await sleeper.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_stop_ends_the_wait()
    {
        var signal = new WorkSignal();
        using var stopping = new CancellationTokenSource();
        stopping.Token.Register(signal.NotifyAll);
        Task sleeper = Task.Factory.StartNew(
            () => signal.Wait(() => false, Timeout.InfiniteTimeSpan, stopping.Token),
            TaskCreationOptions.LongRunning);
        await Task.Delay(50);

        await stopping.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => sleeper.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
