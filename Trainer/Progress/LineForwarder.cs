using System.Text;

namespace Trainer.Progress;

/// <summary>A writer that hands every complete line to <paramref name="writeLine"/>.</summary>
public sealed class LineForwarder(Action<string> writeLine) : TextWriter
{
    private readonly StringBuilder pending = new();

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (value == '\n')
        {
            writeLine(pending.ToString().TrimEnd('\r'));
            pending.Clear();
        }
        else
        {
            pending.Append(value);
        }
    }
}
