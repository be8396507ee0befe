using Training.Pipeline;

namespace Trainer.Progress;

/// <summary>One plain line per finished epoch, for output that is not a terminal.</summary>
public sealed class EpochLines(TextWriter output) : TrainingDisplay
{
    /// <inheritdoc/>
    public override TextWriter Log => output;

    /// <inheritdoc/>
    private protected override Reporter Start(string name) => new LineReporter(name, output);

    private sealed class LineReporter(string name, TextWriter output) : Reporter
    {
        public override void Report(TrainingProgress value)
        {
            // Progress within an epoch would flood a log file; the epoch's end carries its validation accuracy.
            if (value.ValidationAccuracy is not null)
            {
                output.WriteLine(EpochLine(name, value));
            }
        }
    }
}
