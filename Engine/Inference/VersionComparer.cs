namespace Engine.Inference;

/// <summary>Orders model versions as numbers where they are numbers (2 before 10), then ordinally.</summary>
public sealed class VersionComparer : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static VersionComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        bool xNumber = long.TryParse(x, out long xValue);
        bool yNumber = long.TryParse(y, out long yValue);
        return xNumber && yNumber ? xValue.CompareTo(yValue)
            : xNumber ? -1
            : yNumber ? 1
            : string.CompareOrdinal(x, y);
    }
}
