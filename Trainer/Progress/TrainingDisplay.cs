using Spectre.Console;
using Training.Pipeline;

namespace Trainer.Progress;

/// <summary>
/// Shows a command's training runs: on a terminal, a live progress bar per run with its time left; otherwise
/// (output redirected to a file or a pipe, or captured) one plain line per finished epoch, so logs stay readable.
/// </summary>
public abstract class TrainingDisplay
{
    /// <summary>Where the command writes its messages; on a terminal they appear above the progress bars.</summary>
    public abstract TextWriter Log { get; }

    /// <summary>
    /// Runs <paramref name="training"/>, showing the progress it reports under <paramref name="name"/>. A report
    /// that starts again from epoch 1 begins a new bar (the study reports all its cells through one progress).
    /// </summary>
    public T Run<T>(string name, Func<IProgress<TrainingProgress>, T> training)
    {
        Reporter reporter = Start(name);
        try
        {
            return training(reporter);
        }
        finally
        {
            reporter.Finish();
        }
    }

    /// <summary>A new reporter for a run named <paramref name="name"/>.</summary>
    private protected abstract Reporter Start(string name);

    /// <summary>Shows what one run reports.</summary>
    private protected abstract class Reporter : IProgress<TrainingProgress>
    {
        public abstract void Report(TrainingProgress value);

        /// <summary>The run is over, perhaps before its last epoch (early stopping).</summary>
        public virtual void Finish()
        {
        }
    }

    /// <summary>Runs <paramref name="work"/> with progress bars when <paramref name="output"/> is an interactive terminal, plain lines otherwise.</summary>
    public static T Show<T>(TextWriter output, Func<TrainingDisplay, T> work)
    {
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!terminal)
        {
            return work(new EpochLines(output));
        }
        return AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new ProgressBars(context)));
    }

    /// <summary>The line printed at the end of every epoch.</summary>
    public static string EpochLine(string name, TrainingProgress p) =>
        $"  {name} epoch {p.Epoch}/{p.Epochs}  loss {p.Loss:F4}  train {p.Accuracy:P2}" +
        (p.ValidationAccuracy is { } v ? $"  validation {v:P2}" : "") +
        $"  elapsed {p.Elapsed:mm\\:ss}  left {p.Remaining:mm\\:ss}";
}
