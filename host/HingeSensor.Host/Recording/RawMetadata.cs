using System.Collections.Generic;
using System.Globalization;

namespace HingeSensor.Host.Recording
{
    /// <summary>A time window [start, end] in seconds of the recording's own clock.</summary>
    public readonly record struct TimeWindow(double StartS, double EndS)
    {
        public bool Contains(double t) => t >= StartS && t <= EndS;
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
