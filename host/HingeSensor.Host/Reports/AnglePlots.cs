using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// The three figures of a session report (see ../shared/docs/biomechanics.md for the angles):
    /// torso angle (the upper back's inclination, with the gate past which faults are judged),
    /// trunk flexion (upper back over sacrum: back rounding) and head flexion (head over upper back:
    /// chin drop above, head up below).
    /// </summary>
    public static class AnglePlots
    {
        public const string TorsoId = "plot-torso";
        public const string TrunkId = "plot-trunk";
        public const string HeadId = "plot-head";

        // Room above and below the data so that lines at the edge stay visible.
        private const double MarginDeg = 5;

        public static IReadOnlyList<AnglePlot> For(StoredSession s)
        {
            var times = s.Frames.Select(f => f.TimeS).ToArray();
            var (start, end) = TimeRange(s);
            var reps = s.Reps.Select(r => new RepMarker(r.Number, r.StartS, r.EndS, r.Counted, r.Faults.Count > 0)).ToList();
            IReadOnlyList<AlertSpan> Spans(Func<string, bool> which) =>
                s.Alerts.Where(a => which(a.Fault)).Select(a => new AlertSpan(a.Fault, a.StartS, a.EndS)).ToList();
            AnglePlot Make(string id, string title, string angle, Func<StoredFrame, float> pick, List<ThresholdLine> thresholds, IReadOnlyList<AlertSpan> spans)
            {
                double[] values = s.Frames.Select(f => (double)pick(f)).ToArray();
                var (min, max) = AngleRange(values, thresholds);
                return new AnglePlot(id, title, angle, times, values, thresholds, spans, reps, start, end, min, max);
            }

            var torsoLines = new List<ThresholdLine>();
            if (s.ThresholdsDeg.TryGetValue("gate_open_torso", out double gate))
                torsoLines.Add(new ThresholdLine($"faults judged past {gate:0}°", gate, FaultZone.None));
            var trunkLines = new List<ThresholdLine>();
            if (s.ThresholdsDeg.TryGetValue("back_rounding", out double rounding))
                trunkLines.Add(new ThresholdLine(s.BackRoundingPercentOfRange is double pct
                    ? $"back rounding {rounding:0}° ({pct:0} % of range)" : $"back rounding {rounding:0}°", rounding, FaultZone.Above));
            var headLines = new List<ThresholdLine>();
            if (s.ThresholdsDeg.TryGetValue("chin_drop", out double chin))
                headLines.Add(new ThresholdLine($"chin drop {chin:0}°", chin, FaultZone.Above));
            if (s.ThresholdsDeg.TryGetValue("head_up", out double up))
                headLines.Add(new ThresholdLine($"head up −{up:0}°", -up, FaultZone.Below));

            return new[]
            {
                // Every alert is shaded on the torso figure too: it is the overview of the session.
                Make(TorsoId, "Torso angle (upper back inclination)", "torso angle", f => f.UpperSag, torsoLines, Spans(_ => true)),
                Make(TrunkId, "Trunk flexion (upper back relative to sacrum)", "trunk flexion", f => f.TrunkFlexion, trunkLines,
                    Spans(f => f == FaultLook.BackRounding)),
                Make(HeadId, "Head flexion (head relative to upper back; + is chin down)", "head flexion", f => f.HeadFlexion, headLines,
                    Spans(f => f == FaultLook.ChinDrop || f == FaultLook.HeadUp)),
            };
        }

        private static (double Start, double End) TimeRange(StoredSession s)
        {
            double start = s.Frames.Count > 0 ? Math.Min(0, s.Frames[0].TimeS) : 0;
            double end = new[] { s.Frames.Count > 0 ? s.Frames[^1].TimeS : 0, s.Summary.DurationS }
                .Concat(s.Alerts.Select(a => a.EndS)).Concat(s.Reps.Select(r => r.EndS))
                .Where(double.IsFinite).DefaultIfEmpty(0).Max();
            return (start, end > start ? end : start + 1);
        }

        private static (double Min, double Max) AngleRange(double[] values, List<ThresholdLine> thresholds)
        {
            var all = values.Where(double.IsFinite).Concat(thresholds.Select(t => t.ValueDeg)).Append(0.0).ToList();
            // Whole multiples of 5° keep the tick labels tidy.
            double min = Math.Floor((all.Min() - MarginDeg) / 5) * 5;
            double max = Math.Ceiling((all.Max() + MarginDeg) / 5) * 5;
            return (min, max);
        }
    }
}
