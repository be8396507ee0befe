namespace Trainer.Study;

// Temporary stand-in until the report generator lands.
public static class StudyReport
{
    public static IReadOnlyList<string> Write(IReadOnlyList<StudyCell> cells, string outputDirectory, string planMarkdown) => [];
}
