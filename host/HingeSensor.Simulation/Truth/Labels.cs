using System.Collections.Generic;

namespace HingeSensor.Simulation.Truth
{
    /// <summary>Ground truth of one simulated recording (labels.json, schema in docs/scenario.md).</summary>
    public sealed record Labels
    {
        public string Scenario { get; init; } = "";
        public int Seed { get; init; }
        public double RateHz { get; init; }
        public double DurationS { get; init; }
        public double HeightCm { get; init; }
        public Scenarios.FaultDefinitions Definitions { get; init; } = new();
        public double[]? NeutralWindow { get; init; }
        public double[]? HingeWindow { get; init; }
        public double[]? RangeWindow { get; init; }
        public List<LabelMounting> Mountings { get; init; } = new();
        public List<LabelRep> Reps { get; init; } = new();
        public List<LabelFault> Faults { get; init; } = new();
        public List<LabelActivity> Activities { get; init; } = new();

        /// <summary>What the wearer truly did, as spans covering the whole recording, in the device's activity words.</summary>
        public List<LabelSpan> Activity { get; init; } = new();
        public string? TruthCsv { get; set; }

        /// <summary>Reps deep enough to count by the definitions.</summary>
        public int CountedReps { get { int n = 0; foreach (LabelRep r in Reps) if (r.Counted) n++; return n; } }
    }

    public sealed record LabelMounting(string Sensor, double[] SegmentToSensorQuaternion, double[] SiteM, double ClockErrorPpm);

    public sealed record LabelRep(int Set, int Index, double StartS, double EndS, double DepthDeg, bool Counted, string PlannedFault,
        double MaxTrunkFlexionDeg, double MaxHeadFlexionDeg, double MinHeadFlexionDeg, List<string> Faults)
    {
        /// <summary>"hinge", "squat" or "stoop": how the script moved the body.</summary>
        public string Pattern { get; init; } = "hinge";

        /// <summary>True pelvis inclination change over true torso inclination change, standing to the bottom (0–1).</summary>
        public double PelvisShare { get; init; }

        /// <summary>True vertical drop of the sacrum sensor site, standing to the bottom, cm (negative: it rose, as in a hinge).</summary>
        public double SacrumDropCm { get; init; }

        /// <summary>The true torso reached the target depth within its tolerance.</summary>
        public bool DepthReached { get; init; }

        /// <summary>"ok", "incomplete" or "over_extension", from the true torso at the end of the rep.</summary>
        public string Lockout { get; init; } = "ok";

        /// <summary>True torso angle at the end of the rep, degrees over neutral.</summary>
        public double EndTorsoDeg { get; init; }

        public double DescentS { get; init; }
        public double BottomS { get; init; }
        public double AscentS { get; init; }

        /// <summary>Borderline reps: the fault kind whose true peak was set near its threshold, and the requested peak.</summary>
        public string? BorderlineKind { get; init; }
        public double? BorderlineTargetDeg { get; init; }
    }

    /// <summary>A fault episode by the definitions: onset when the true metric crossed the threshold with the hinge gate open (and held for the persistence window), end when back inside by the hysteresis or the gate closed.</summary>
    public sealed record LabelFault(string Kind, string Variant, double OnsetS, double EndS, double PeakDeg, int Rep);

    public sealed record LabelActivity(string Kind, double StartS, double EndS);

    /// <summary>One span of the "activity" cover: standing, walking, sitting, sit_to_stand, hinge, squat or bending_other.</summary>
    public sealed record LabelSpan(string Kind, double StartS, double EndS);
}
