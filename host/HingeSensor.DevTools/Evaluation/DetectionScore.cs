using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Analysis;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>How one analysed recording compares with its labels.</summary>
    public sealed record RecordingScore
    {
        public string Name { get; init; } = "";
        public int TrueReps { get; init; }
        public int DetectedReps { get; init; }
        public int CleanReps { get; init; }
        public double OtherActivityS { get; init; }
        public Dictionary<string, (int Labeled, int Detected)> ByKind { get; init; } = new();
        public Dictionary<string, (int Labeled, int Detected)> ByVariant { get; init; } = new();
        /// <summary>Each detected fault with its latency (true onset → first matching alert), ms.</summary>
        public List<(LabelFault Fault, double Ms)> Detections { get; init; } = new();
        public IEnumerable<double> LatenciesMs => Detections.Select(d => d.Ms);
        public List<AlertRecord> FalseInExercise { get; init; } = new();
        public List<AlertRecord> FalseInOther { get; init; } = new();
        public List<LabelFault> Missed { get; init; } = new();

        // The harder figures (issue 12): strict matching, rep errors without cancellation,
        // borderline decisions, angle errors, false alerts by true activity, rep coaching.
        public StrictMatch Strict { get; init; } = new();
        public RepPairs RepPairs { get; init; } = new(new(), new(), new());
        /// <summary>The coaching cues the analysis gave (for <see cref="CueAgreement"/>).</summary>
        public List<CueRecord> Cues { get; init; } = new();
        public List<BorderlineDecision> Borderline { get; init; } = new();
        public AngleErrors? Angles { get; init; }
        public Dictionary<string, int> FalseByActivity { get; init; } = new();
        public Dictionary<string, double> SecondsByActivity { get; init; } = new();
        public Dictionary<string, (List<double> Trunk, List<double> Head)> AngleErrorsByActivity { get; init; } = new();
    }

    /// <summary>
    /// Scores alerts and reps against ground truth. An alert matches a labeled fault episode of
    /// the same kind when it starts between 0.5 s before the true onset and 0.5 s after the true
    /// end; latency is the first matching alert's start minus the true onset. Every other alert is
    /// false: in exercise when it starts inside a set (a rep or the rest between reps), otherwise in
    /// other activity.
    /// </summary>
    public static class DetectionScore
    {
        public const double MatchToleranceS = 0.5;
        public static readonly string[] Kinds = { "back_rounding", "chin_drop", "head_up" };

        /// <summary>Non-exercise activities of the script (labels' "activities"), where alerts count per hour.</summary>
        public static bool IsOtherActivity(string kind) => kind is "walk" or "sit" or "reach" or "stand" or "sit_to_stand" or "seated_reach" or "tie_shoe";

        public static RecordingScore Score(string name, AnalysisResult result, Labels labels, AngleErrors? angles = null)
        {
            var byKind = Kinds.ToDictionary(k => k, _ => (0, 0));
            var byVariant = new Dictionary<string, (int, int)>();
            var detections = new List<(LabelFault, double)>();
            var matched = new HashSet<AlertRecord>();
            var missed = new List<LabelFault>();
            foreach (LabelFault f in labels.Faults)
            {
                var hits = result.Alerts.Where(a => a.Fault == f.Kind && a.StartS >= f.OnsetS - MatchToleranceS && a.StartS <= f.EndS + MatchToleranceS).ToList();
                foreach (AlertRecord a in hits) matched.Add(a);
                bool hit = hits.Count > 0;
                var k = byKind[f.Kind];
                byKind[f.Kind] = (k.Item1 + 1, k.Item2 + (hit ? 1 : 0));
                byVariant.TryGetValue(f.Variant, out var v);
                byVariant[f.Variant] = (v.Item1 + 1, v.Item2 + (hit ? 1 : 0));
                if (hit) detections.Add((f, (hits.Min(a => a.StartS) - f.OnsetS) * 1000));
                else missed.Add(f);
            }
            // Activity context of a time: inside a set (reps and the rests between them) or other.
            var sets = labels.Reps.GroupBy(r => r.Set).Select(g => (Start: g.Min(r => r.StartS), End: g.Max(r => r.EndS) + 1.0)).ToList();
            bool InSet(double t) => sets.Any(s => t >= s.Start - 0.5 && t <= s.End);
            var falseEx = new List<AlertRecord>();
            var falseOther = new List<AlertRecord>();
            foreach (AlertRecord a in result.Alerts)
            {
                if (matched.Contains(a)) continue;
                if (InSet(a.StartS)) falseEx.Add(a); else falseOther.Add(a);
            }
            double other = labels.Activities.Where(a => IsOtherActivity(a.Kind)).Sum(a => a.EndS - a.StartS);
            StrictMatch strict = StrictMatching.Match(labels.Faults, result.Alerts, MatchToleranceS);
            return new RecordingScore
            {
                Name = name,
                TrueReps = labels.CountedReps,
                DetectedReps = result.CountedReps,
                CleanReps = labels.Reps.Count(r => r.Faults.Count == 0),
                OtherActivityS = other,
                ByKind = byKind,
                ByVariant = byVariant,
                Detections = detections,
                FalseInExercise = falseEx,
                FalseInOther = falseOther,
                Missed = missed,
                Strict = strict,
                RepPairs = RepMatching.Match(labels.Reps, result.Reps),
                Cues = result.Cues,
                Borderline = BorderlineDecisions.Of(labels, result.Alerts, MatchToleranceS),
                Angles = angles,
                FalseByActivity = ActivityFalseAlerts.Count(labels.Activity, strict.Unmatched),
                SecondsByActivity = ActivityFalseAlerts.Seconds(labels.Activity),
                AngleErrorsByActivity = angles?.ByActivity(labels.Activity) ?? new(),
            };
        }
    }

    /// <summary>The figures over a whole suite (the JSON keys are the issue's).</summary>
    public sealed record DetectionSummary
    {
        public int Recordings { get; init; }
        public double HoursTotal { get; init; }
        public int TrueReps { get; init; }
        public int DetectedReps { get; init; }
        public double RepCountError { get; init; }
        public Dictionary<string, double> Sensitivity { get; init; } = new();
        public Dictionary<string, int[]> FaultsDetectedOfLabeled { get; init; } = new();
        public Dictionary<string, double> SensitivityByVariant { get; init; } = new();
        public int CleanReps { get; init; }
        public int FalseAlertsInExercise { get; init; }
        [System.Text.Json.Serialization.JsonPropertyName("false_alerts_per_100_clean_reps")]
        public double FalseAlertsPer100CleanReps { get; init; }
        public double OtherActivityHours { get; init; }
        public int FalseAlertsInOther { get; init; }
        public double FalseAlertsPerHourOther { get; init; }
        public double LatencyMsMedian { get; init; }
        public double LatencyMsP95 { get; init; }

        /// <summary>The harder figures (issue 12); the ones above are kept as they were, for comparison.</summary>
        public StrictFigures Strict { get; init; } = new();
        public RepCountFigures RepCountStrict { get; init; } = new();
        public ChatterFigures Chattering { get; init; } = new();
        public BorderlineFigures Borderline { get; init; } = new();
        public Dictionary<string, ErrorSummary> AngleErrorDeg { get; init; } = new();
        /// <summary>Per true activity: trunk and head flexion error.</summary>
        public Dictionary<string, Dictionary<string, ErrorSummary>> AngleErrorDegByActivity { get; init; } = new();
        public Dictionary<string, ActivityAlertFigures> FalseAlertsByActivity { get; init; } = new();
        public RepCoachingFigures RepCoaching { get; init; } = new();

        public static DetectionSummary From(IReadOnlyList<RecordingScore> scores, double totalSeconds)
        {
            int trueReps = scores.Sum(s => s.TrueReps), detected = scores.Sum(s => s.DetectedReps);
            int repErr = scores.Sum(s => Math.Abs(s.TrueReps - s.DetectedReps));
            var sens = new Dictionary<string, double>();
            var counts = new Dictionary<string, int[]>();
            foreach (string k in DetectionScore.Kinds)
            {
                int l = scores.Sum(s => s.ByKind[k].Labeled), d = scores.Sum(s => s.ByKind[k].Detected);
                sens[k] = l > 0 ? (double)d / l : double.NaN;
                counts[k] = new[] { d, l };
            }
            var variants = scores.SelectMany(s => s.ByVariant.Keys).Distinct().OrderBy(v => v);
            var byVariant = variants.ToDictionary(v => v, v =>
            {
                int l = scores.Sum(s => s.ByVariant.TryGetValue(v, out var x) ? x.Labeled : 0);
                int d = scores.Sum(s => s.ByVariant.TryGetValue(v, out var x) ? x.Detected : 0);
                return l > 0 ? (double)d / l : double.NaN;
            });
            var lat = scores.SelectMany(s => s.LatenciesMs).OrderBy(x => x).ToList();
            int clean = scores.Sum(s => s.CleanReps);
            int fEx = scores.Sum(s => s.FalseInExercise.Count), fOther = scores.Sum(s => s.FalseInOther.Count);
            double otherH = scores.Sum(s => s.OtherActivityS) / 3600;
            return new DetectionSummary
            {
                Recordings = scores.Count,
                HoursTotal = totalSeconds / 3600,
                TrueReps = trueReps,
                DetectedReps = detected,
                RepCountError = trueReps > 0 ? (double)repErr / trueReps : 0,
                Sensitivity = sens,
                FaultsDetectedOfLabeled = counts,
                SensitivityByVariant = byVariant,
                CleanReps = clean,
                FalseAlertsInExercise = fEx,
                FalseAlertsPer100CleanReps = clean > 0 ? 100.0 * fEx / clean : 0,
                OtherActivityHours = otherH,
                FalseAlertsInOther = fOther,
                FalseAlertsPerHourOther = otherH > 0 ? fOther / otherH : 0,
                LatencyMsMedian = Percentile(lat, 0.5),
                LatencyMsP95 = Percentile(lat, 0.95),
                Strict = StrictFigures.From(scores),
                RepCountStrict = RepCountFigures.From(scores),
                Chattering = ChatterFigures.From(scores),
                Borderline = BorderlineFigures.From(scores),
                AngleErrorDeg = AngleErrorFigures.From(scores),
                AngleErrorDegByActivity = AngleErrorFigures.ByActivity(scores),
                FalseAlertsByActivity = ActivityAlertFigures.From(scores),
                RepCoaching = RepCoachingFigures.From(scores),
            };
        }

        private static double Percentile(List<double> sorted, double p)
        {
            if (sorted.Count == 0) return double.NaN;
            double pos = p * (sorted.Count - 1);
            int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
        }
    }
}
