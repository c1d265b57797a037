using System;
using System.Collections.Generic;
using HingeSensor.Host.Analysis;

namespace HingeSensor.DevTools.Evaluation.PublicRecordings
{
    /// <summary>What the product said about one public recording, in the terms the issue asks for: calibration, reps and patterns, alerts, activity.</summary>
    public sealed record RecordingVerdict
    {
        public string Dataset { get; init; } = "";
        public string Name { get; init; } = "";
        public string Setting { get; init; } = "";
        public string Mapping { get; init; } = "";
        public double DurationS { get; init; }
        public bool Calibrated { get; init; }
        /// <summary>Each calibration step the analysis tried: "neutral ok at 1.2–2.7 s", "hinge hinge_too_shallow …".</summary>
        public List<string> Calibration { get; init; } = new();
        public List<RepRecord> Reps { get; init; } = new();
        public List<AlertRecord> Alerts { get; init; } = new();
        /// <summary>Seconds the product spent in each activity kind.</summary>
        public SortedDictionary<string, double> ActivitySeconds { get; init; } = new(StringComparer.Ordinal);
        /// <summary>Per author label: seconds, and the seconds of each of our activity kinds inside it.</summary>
        public SortedDictionary<string, LabelAgreement> ByLabel { get; init; } = new(StringComparer.Ordinal);
        /// <summary>The authors' labels, in time order.</summary>
        public List<LabeledSpan> LabelSpans { get; init; } = new();

        /// <summary>The spans the authors gave <paramref name="label"/>.</summary>
        public List<LabeledSpan> Labels(string label) => LabelSpans.FindAll(l => l.Label == label);
    }

    /// <summary>How the product's activity and reps fell inside one author label.</summary>
    public sealed record LabelAgreement
    {
        public double Seconds { get; set; }
        public int Spans { get; set; }
        public SortedDictionary<string, double> ActivitySeconds { get; } = new(StringComparer.Ordinal);
        /// <summary>Reps whose start falls inside the label, by pattern.</summary>
        public SortedDictionary<string, int> RepPatterns { get; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, int> Alerts { get; } = new(StringComparer.Ordinal);
    }
}
