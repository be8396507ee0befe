using Spectre.Console;
using Training.Pipeline;

namespace Trainer.Progress;

/// <summary>A live Spectre.Console progress bar per training run, with elapsed time and time left; messages print above them.</summary>
public sealed class ProgressBars(ProgressContext context) : TrainingDisplay
{
    /// <inheritdoc/>
    // Spectre.Console redraws the bars below whatever is written through it, so lines go through it too.
    public override TextWriter Log { get; } = new LineForwarder(line => AnsiConsole.WriteLine(line));

    /// <inheritdoc/>
    private protected override Reporter Start(string name) => new BarReporter(name, context);

    private sealed class BarReporter(string name, ProgressContext context) : Reporter
    {
        private ProgressTask? task;
        private double position;

        public override void Report(TrainingProgress value)
        {
            double reached = value.Epoch - 1 + value.EpochFraction;
            if (task is null || reached < position)
            {
                // A run reporting one progress for many trainings (the study's cells) starts again from epoch 1.
                task?.StopTask();
                task = context.AddTask(Markup.Escape(name), maxValue: value.Epochs);
            }
            position = reached;
            task.MaxValue = value.Epochs;
            task.Value = reached;
            string validation = value.ValidationAccuracy is { } v ? $"  validation {v:P1}" : "";
            task.Description = Markup.Escape($"{name}  epoch {value.Epoch}/{value.Epochs}  loss {value.Loss:F3}  train {value.Accuracy:P1}{validation}");
        }

        public override void Finish() => task?.StopTask();
    }
}
