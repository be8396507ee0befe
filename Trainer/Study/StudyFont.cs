using ScottPlot;
using SkiaSharp;

namespace Trainer.Study;

/// <summary>
/// The one typeface every study plot is drawn with, DejaVu Sans compiled into this assembly. SkiaSharp's
/// Linux build without fontconfig finds no font on a machine without font packages and then draws no text
/// at all, so the plots carry their own.
/// </summary>
internal sealed class StudyFont : IFontResolver
{
    /// <summary>The family name the plots ask ScottPlot for.</summary>
    public const string Name = "Study Sans";

    private const string ResourceName = "Trainer.Study.Fonts.DejaVuSans.ttf";
    private static readonly Lock registration = new();
    private static StudyFont? registered;
    private readonly SKTypeface typeface;

    private StudyFont(SKTypeface typeface) => this.typeface = typeface;

    /// <summary>Adds the resolver to ScottPlot's once; later calls do nothing.</summary>
    public static void Register()
    {
        lock (registration)
        {
            if (registered is not null)
                return;
            using Stream stream = typeof(StudyFont).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"the embedded font {ResourceName} is missing from the assembly");
            SKTypeface typeface = SKTypeface.FromStream(stream)
                ?? throw new InvalidOperationException($"SkiaSharp could not read the embedded font {ResourceName}");
            registered = new StudyFont(typeface);
            Fonts.FontResolvers.Insert(0, registered);
        }
    }

    // Bold and italic requests get the regular face too: one font file keeps the repository small, and
    // titles read well enough at their larger size.
    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => fontName == Name ? typeface : null;

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
        fontName == Name ? typeface : null;
}
