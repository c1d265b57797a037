using System.Collections.Generic;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>
    /// Per-sample angle error of the analysed recording against the simulator's truth: trunk
    /// flexion, head flexion and torso angle, at every report of the tracker once it is calibrated
    /// and every sensor valid (the samples `hinge analyze --samples` writes).
    /// </summary>
    public sealed class AngleErrors
    {
        private readonly TruthAngleTrack _truth;
        private float _lastReport = float.NaN;

        public AngleErrors(TruthAngleTrack truth) { _truth = truth; }

        public List<double> Trunk { get; } = new();
        public List<double> Head { get; } = new();
        public List<double> Torso { get; } = new();
        /// <summary>The recording's time of each error (for <see cref="ByActivity"/>).</summary>
        public List<double> Times { get; } = new();

        /// <summary>For <see cref="HingeSensor.Host.Analysis.RecordingAnalyzer.SampleProcessed"/>: t is the recording's time.</summary>
        public void OnSample(double t, PostureTracker tracker)
        {
            PostureMetrics m = tracker.Metrics;
            if (!tracker.Calibration.IsComplete || !m.AllValid || m.TimeS == _lastReport) return;
            _lastReport = m.TimeS;
            Add(t, m.TrunkFlexionDeg, m.HeadFlexionDeg, m.TorsoAngleDeg);
        }

        public void Add(double t, double trunk, double head, double torso)
        {
            var truth = _truth.At(t);
            Times.Add(t);
            Trunk.Add(trunk - truth.Trunk);
            Head.Add(head - truth.Head);
            Torso.Add(torso - truth.Torso);
        }

        /// <summary>
        /// The errors split by what the wearer was truly doing (the labels' activity cover): where
        /// the fusion is off, not only by how much. Key: activity kind; value: trunk and head errors.
        /// </summary>
        public Dictionary<string, (List<double> Trunk, List<double> Head)> ByActivity(IReadOnlyList<LabelSpan> cover)
        {
            var split = new Dictionary<string, (List<double> Trunk, List<double> Head)>();
            for (int i = 0; i < Times.Count; i++)
            {
                string k = ActivityFalseAlerts.KindAt(cover, Times[i]);
                if (!split.TryGetValue(k, out var lists)) split[k] = lists = (new List<double>(), new List<double>());
                lists.Trunk.Add(Trunk[i]);
                lists.Head.Add(Head[i]);
            }
            return split;
        }
    }
}
