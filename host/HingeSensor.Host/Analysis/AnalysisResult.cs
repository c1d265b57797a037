using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace HingeSensor.Host.Analysis
{
    /// <summary>What `hinge analyze` finds in a recording (result.json; schema in docs/analyze-result.md).</summary>
    public sealed record AnalysisResult
    {
        public string Input { get; init; } = "";
        public double DurationS { get; init; }
        public long Samples { get; init; }

        /// <summary>Neutral and hinge calibrated for every sensor: without it there are no angles, so no reps and no alerts.</summary>
        public bool Calibrated { get; init; }

        /// <summary>Time of the first sample, s (the recording's own clock).</summary>
        [JsonIgnore] public double FirstS { get; init; }

        /// <summary>Where the wearer came closest to a neutral stance (what to offer when nothing calibrated).</summary>
        [JsonIgnore] public StillWindow? Stillest { get; init; }
        public List<CalibrationStepRecord> Calibration { get; init; } = new();
        public List<AlertRecord> Alerts { get; init; } = new();
        public List<RepRecord> Reps { get; init; } = new();

        /// <summary>What the wearer was doing, span by span (the device's activity context, as the hinge gate saw it).</summary>
        public List<ActivitySpan> Activity { get; init; } = new();

        /// <summary>The coaching cues, in order.</summary>
        public List<CueRecord> Cues { get; init; } = new();
        public AnalysisConfig Config { get; init; } = new();
        public int CountedReps { get; init; }
    }

    /// <summary>
    /// One calibration step as `hinge analyze` found it in a recording (result.json's "calibration").
    /// Not the device's answer to a calibrate request: that is <see cref="Client.CalibrationOutcome"/>.
    /// </summary>
    public sealed record CalibrationStepRecord(string Step, string Status, string Message, double StartS, double EndS, List<SensorQuality> Sensors, double? RangeTrunkFlexionDeg);

    public sealed record SensorQuality(string Sensor, string Status, double Quality, double NeutralSpreadDeg, double HingePlanarity, double HingeAxisTiltDeg, double HingeAmplitudeDeg);

    public sealed record AlertRecord(string Fault, double OnsetS, double StartS, double EndS, double PeakDeg, bool Corrected, int Reminders);

    public sealed record RepRecord(int Number, bool Counted, double StartS, double EndS, double DepthDeg, double DescentS, double BottomS, double AscentS,
        double MaxTrunkFlexionDeg, double MaxHeadFlexionDeg, double MinHeadFlexionDeg, double MaxHingeDeg, List<string> Faults)
    {
        /// <summary>"hinge", "squat", "stoop" or "unknown" (RepPatterns.Name).</summary>
        public string Pattern { get; init; } = "unknown";
        public bool DepthReached { get; init; }
        /// <summary>"ok", "incomplete", "over_extension" or "unknown" (Lockouts.Name).</summary>
        public string Lockout { get; init; } = "unknown";
        public double PelvisShare { get; init; }
        /// <summary>The pelvis's share as the descent got under way (at the lead angle): what tells a stoop from a hinge.</summary>
        public double LeadShare { get; init; }
        public double SacrumDropCm { get; init; }
    }

    /// <summary>A stretch of one activity (Activities.Name: "standing", "walking", "sitting", "sit_to_stand", "hinge", "squat", "bending_other").</summary>
    public sealed record ActivitySpan(string Kind, double StartS, double EndS);

    /// <summary>A coaching cue as the device would raise it (CoachingCues.Name), with its rep (0: none) and measurement.</summary>
    public sealed record CueRecord(double TimeS, string Cue, int Rep, double Value);

    public sealed record AnalysisConfig
    {
        public string CalibrationSource { get; init; } = "";
        public double[]? NeutralWindow { get; init; }
        public double[]? HingeWindow { get; init; }
        public double[]? RangeWindow { get; init; }
        public double HeightCm { get; init; }
        public Dictionary<string, double> ThresholdsDeg { get; init; } = new();
        public bool UseRangePercent { get; init; }
        public double BackRoundingPercent { get; init; }
        public double PersistenceS { get; init; }
        public double HysteresisDeg { get; init; }
        public double ClearHoldS { get; init; }
        public double GateOpenTorsoDeg { get; init; }
        public double GateCloseTorsoDeg { get; init; }
        public bool AlwaysOn { get; init; }
        public double ReminderIntervalS { get; init; }
        public double CooldownS { get; init; }
        public double MinRepDepthDeg { get; init; }
        public double StandingDeg { get; init; }
        public double RepStartDeg { get; init; }
    }
}
