using System.Collections.Generic;
using System.Globalization;

namespace HingeSensor.Host.Recording
{
    /// <summary>A time window [start, end] in seconds of the recording's own clock.</summary>
    public readonly record struct TimeWindow(double StartS, double EndS)
    {
        public bool Contains(double t) => t >= StartS && t <= EndS;

        /// <summary>"t0-t1" in seconds, 0 ≤ t0 &lt; t1 (how the metadata and the --neutral/--hinge options write a window).</summary>
        public static bool TryParse(string text, out TimeWindow window)
        {
            window = default;
            int dash = text.Length > 1 ? text.IndexOf('-', 1) : -1;
            if (dash <= 0
                || !double.TryParse(text[..dash], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
                || !double.TryParse(text[(dash + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double b)
                || !double.IsFinite(a) || !double.IsFinite(b) || !(b > a) || a < 0)
                return false;
            window = new TimeWindow(a, b);
            return true;
        }
        public override string ToString() => StartS.ToString("0.###", CultureInfo.InvariantCulture) + "-" + EndS.ToString("0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>The leading "# key=value" lines of a raw recording.</summary>
    public sealed class RawMetadata
    {
        public TimeWindow? Neutral { get; set; }
        public TimeWindow? HingeCalibration { get; set; }
        public TimeWindow? RangeCalibration { get; set; }
        public double? HeightCm { get; set; }
        public double? RateHz { get; set; }
        public double? AccelRangeG { get; set; }
        public double? GyroRangeDps { get; set; }

        /// <summary>Every key as written, known or not (kept so nothing is lost).</summary>
        public Dictionary<string, string> All { get; } = new();
    }
}
