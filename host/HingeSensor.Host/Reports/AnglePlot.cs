using System.Collections.Generic;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// What one angle-over-time figure shows, before any drawing: the angle, the thresholds it was
    /// judged against, the alerts the wearer felt and where each rep began and ended. Tests and
    /// other front ends read this; <see cref="SessionPlots"/> turns it into a PNG.
    /// </summary>
    public sealed record AnglePlot(
        string Id,
        string Title,
        string AngleName,
        IReadOnlyList<double> TimesS,
        IReadOnlyList<double> AnglesDeg,
        IReadOnlyList<ThresholdLine> Thresholds,
        IReadOnlyList<AlertSpan> AlertSpans,
        IReadOnlyList<RepMarker> Reps,
        double StartS,
        double EndS,
        double MinDeg,
        double MaxDeg);

    /// <summary>Which side of a threshold is the fault zone (shaded); None: a reference line only.</summary>
    public enum FaultZone { None, Above, Below }

    /// <summary>A horizontal line at a configured angle, with the zone beyond it that counts as a fault.</summary>
    public sealed record ThresholdLine(string Label, double ValueDeg, FaultZone Zone);

    /// <summary>An alert as the wearer felt it: from the buzz to corrected (or the end of the session).</summary>
    public sealed record AlertSpan(string Fault, double StartS, double EndS);

    /// <summary>A rep's boundaries on the time axis.</summary>
    public sealed record RepMarker(int Number, double StartS, double EndS, bool Counted, bool Faulty);
}
