using System.Globalization;

namespace Trainer.Study;

/// <summary>How long a plan should take, from epoch times measured on a quiet 2-core machine.</summary>
/// <param name="PilotCells">Runs that choose the epochs.</param>
/// <param name="Cells">Runs after the pilots.</param>
/// <param name="Pilots">The pilots' time.</param>
/// <param name="Shortest">The other runs' time if every pilot chooses its shortest candidate.</param>
/// <param name="Longest">The other runs' time if every pilot chooses its longest candidate.</param>
public sealed record StudyEstimate(int PilotCells, int Cells, TimeSpan Pilots, TimeSpan Shortest, TimeSpan Longest)
{
    /// <summary>The training images of a full dataset: 54,000 of the 60,000, the rest kept for validation.</summary>
    public const int FullTrainingImages = 54_000;

    // Seconds per epoch on 54,000 images, measured on this project's 2-core machine while it was quiet: the
    // baseline 4 s, the enhanced network 11 s; the narrow network is the baseline plus a 2,880 × 16 layer, a
    // few percent more. The study adds a census of the validation images after every epoch: about one forward
    // pass over a ninth as many images, some 4 % of an epoch.
    private const double CensusOverhead = 1.04;

    /// <summary>The estimated seconds of one epoch of <paramref name="architecture"/> on <paramref name="trainingImages"/> images.</summary>
    public static double SecondsPerEpoch(string architecture, int trainingImages)
    {
        double full = architecture switch
        {
            "enhanced" => 11.0,
            "narrow" => 4.2,
            _ => 4.0,
        };
        return full * CensusOverhead * trainingImages / FullTrainingImages;
    }

    /// <summary>The whole plan if the pilots choose their shortest candidates.</summary>
    public TimeSpan Least => Pilots + Shortest;

    /// <summary>The whole plan if the pilots choose their longest candidates.</summary>
    public TimeSpan Most => Pilots + Longest;

    /// <summary>One line for the log, e.g. "12 pilot runs and 400 runs: about 8 h 10 min to 9 h 40 min".</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{PilotCells} pilot runs and {Cells} runs: about ") +
        (Duration(Least) == Duration(Most) ? Duration(Most) : $"{Duration(Least)} to {Duration(Most)}, depending on the epochs the pilots choose") +
        " at the epoch times of a quiet 2-core machine";

    /// <summary>A duration as "9 h 05 min", "12 min" or "40 s".</summary>
    public static string Duration(TimeSpan time) =>
        time.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours} h {time.Minutes:00} min")
            : time.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes} min")
                : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(time.TotalSeconds):0} s");
}
