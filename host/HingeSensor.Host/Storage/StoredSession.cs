using System.Collections.Generic;
using HingeSensor.Algorithms.Posture;

namespace HingeSensor.Host.Storage
{
    /// <summary>A session as listed: what it is and how it went.</summary>
    public sealed record StoredSessionSummary(long Id, string Source, string Device, int? DeviceSessionId, long StartUnixMs, double DurationS,
        int CountedReps, int Alerts, string ImportedAt, uint Crc32);

    /// <summary>A downloaded session kept aside because it does not decode: its bytes are in the database, the reason says what is wrong.</summary>
    public sealed record QuarantinedSession(long Id, string DeviceSerial, int DeviceSessionId, int Length, string Reason, string ReceivedAt);

    public sealed record StoredRep(int Number, bool Counted, double StartS, double EndS, double DepthDeg, double DescentS, double BottomS, double AscentS,
        double MaxTrunkFlexionDeg, double MaxHeadFlexionDeg, double MinHeadFlexionDeg, double MaxHingeDeg, IReadOnlyList<string> Faults)
    {
        /// <summary>"hinge", "squat", "stoop" or "unknown" (a session of firmware 1.x says nothing).</summary>
        public string Pattern { get; init; } = "unknown";
        /// <summary>"ok", "incomplete", "over_extension" or "unknown".</summary>
        public string Lockout { get; init; } = "unknown";
        /// <summary>Null when the source did not say.</summary>
        public bool? DepthReached { get; init; }
        public double PelvisShare { get; init; } = double.NaN;
        public double SacrumDropCm { get; init; } = double.NaN;
    }

    public sealed record StoredAlert(string Fault, double OnsetS, double StartS, double EndS, double PeakDeg, bool Corrected);

    public sealed record StoredFrame(double TimeS, float HeadSag, float HeadLat, float UpperSag, float UpperLat, float SacrumSag, float SacrumLat, int Valid)
    {
        public float TrunkFlexion => PostureCalculator.TrunkFlexionDeg(UpperSag, SacrumSag);
        public float HeadFlexion => PostureCalculator.HeadFlexionDeg(HeadSag, UpperSag);
    }

    public sealed record StoredCalibration(int Segment, bool HasNeutral, bool HasHinge, double NeutralSpreadDeg, double HingePlanarity, double HingeAxisTiltDeg, double? RangeTrunkFlexionDeg);

    /// <summary>A whole session read back.</summary>
    public sealed record StoredSession(StoredSessionSummary Summary, double HeightCm, IReadOnlyList<StoredCalibration> Calibration,
        IReadOnlyList<StoredRep> Reps, IReadOnlyList<StoredAlert> Alerts, IReadOnlyList<StoredFrame> Frames,
        IReadOnlyDictionary<string, double> ThresholdsDeg)
    {
        /// <summary>When the back-rounding threshold was a share of the wearer's range: that share, % (ThresholdsDeg holds the degrees it came to).</summary>
        public double? BackRoundingPercentOfRange { get; init; }
    }
}
