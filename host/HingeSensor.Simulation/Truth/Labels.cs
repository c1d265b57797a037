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
        public string? TruthCsv { get; set; }

        /// <summary>Reps deep enough to count by the definitions.</summary>
        public int CountedReps { get { int n = 0; foreach (LabelRep r in Reps) if (r.Counted) n++; return n; } }
    }

    public sealed record LabelMounting(string Sensor, double[] SegmentToSensorQuaternion, double[] SiteM, double ClockErrorPpm);

    public sealed record LabelRep(int Set, int Index, double StartS, double EndS, double DepthDeg, bool Counted, string PlannedFault,
        double MaxTrunkFlexionDeg, double MaxHeadFlexionDeg, double MinHeadFlexionDeg, List<string> Faults);

    /// <summary>A fault episode by the definitions: onset when the true metric crossed the threshold with the hinge gate open (and held for the persistence window), end when back inside by the hysteresis or the gate closed.</summary>
    public sealed record LabelFault(string Kind, string Variant, double OnsetS, double EndS, double PeakDeg, int Rep);

    public sealed record LabelActivity(string Kind, double StartS, double EndS);
}
