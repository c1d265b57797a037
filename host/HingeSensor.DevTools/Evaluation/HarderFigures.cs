using System;
using System.Collections.Generic;
using System.Linq;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>Sensitivity and false alerts with one-to-one matching (<see cref="StrictMatching"/>).</summary>
    public sealed record StrictFigures
    {
        public Dictionary<string, double> Sensitivity { get; init; } = new();
        public Dictionary<string, int[]> FaultsDetectedOfLabeled { get; init; } = new();
        public int FalseAlerts { get; init; }

        public static StrictFigures From(IReadOnlyList<RecordingScore> scores)
        {
            var sens = new Dictionary<string, double>();
            var counts = new Dictionary<string, int[]>();
            foreach (string k in DetectionScore.Kinds)
            {
                int l = scores.Sum(s => s.Strict.ByKind.GetValueOrDefault(k).Labeled), d = scores.Sum(s => s.Strict.ByKind.GetValueOrDefault(k).Detected);
                sens[k] = l > 0 ? (double)d / l : double.NaN;
                counts[k] = new[] { d, l };
            }
            return new StrictFigures { Sensitivity = sens, FaultsDetectedOfLabeled = counts, FalseAlerts = scores.Sum(s => s.Strict.Unmatched.Count) };
        }
    }

    /// <summary>Rep-count error without cancellation: (missed + phantom) counted reps over true counted reps, summed per recording.</summary>
    public sealed record RepCountFigures
    {
        public int Missed { get; init; }
        public int Phantom { get; init; }
        public double Error { get; init; }

        public static RepCountFigures From(IReadOnlyList<RecordingScore> scores)
        {
            int missed = scores.Sum(s => s.RepPairs.Missed.Count), phantom = scores.Sum(s => s.RepPairs.Phantom.Count), trueReps = scores.Sum(s => s.TrueReps);
            return new RepCountFigures { Missed = missed, Phantom = phantom, Error = trueReps > 0 ? (double)(missed + phantom) / trueReps : 0 };
        }
    }

    /// <summary>Chattering: alerts a true fault episode drew beyond its first.</summary>
    public sealed record ChatterFigures
    {
        public int Episodes { get; init; }
        public int AlertedEpisodes { get; init; }
        public int ExtraAlerts { get; init; }
        public double ExtraAlertsPerEpisode { get; init; }

        public static ChatterFigures From(IReadOnlyList<RecordingScore> scores)
        {
            int episodes = scores.Sum(s => s.Strict.ByKind.Values.Sum(v => v.Labeled)), extra = scores.Sum(s => s.Strict.ExtraAlerts);
            return new ChatterFigures
            {
                Episodes = episodes, AlertedEpisodes = scores.Sum(s => s.Strict.AlertedEpisodes), ExtraAlerts = extra,
                ExtraAlertsPerEpisode = episodes > 0 ? (double)extra / episodes : double.NaN,
            };
        }
    }

    /// <summary>Decisions on borderline reps: truth (fault or not) against an alert of that kind in the rep.</summary>
    public sealed record BorderlineFigures
    {
        public int Reps { get; init; }
        public int Correct { get; init; }
        public double Accuracy { get; init; } = double.NaN;
        /// <summary>Per kind: [true faults alerted, true faults, clean reps alerted (false), clean reps].</summary>
        public Dictionary<string, int[]> ByKind { get; init; } = new();
        public Dictionary<string, double> AccuracyByKind { get; init; } = new();

        public static BorderlineFigures From(IReadOnlyList<RecordingScore> scores)
        {
            var all = scores.SelectMany(s => s.Borderline).ToList();
            var byKind = all.GroupBy(d => d.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => new[]
            {
                g.Count(d => d.TrueFault && d.Alerted), g.Count(d => d.TrueFault), g.Count(d => !d.TrueFault && d.Alerted), g.Count(d => !d.TrueFault),
            });
            return new BorderlineFigures
            {
                Reps = all.Count,
                Correct = all.Count(d => d.Correct),
                Accuracy = all.Count > 0 ? (double)all.Count(d => d.Correct) / all.Count : double.NaN,
                ByKind = byKind,
                AccuracyByKind = all.GroupBy(d => d.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => (double)g.Count(d => d.Correct) / g.Count()),
            };
        }
    }

    /// <summary>Per-sample error of the analysed angles against the simulator's truth.</summary>
    public static class AngleErrorFigures
    {
        public static Dictionary<string, ErrorSummary> From(IReadOnlyList<RecordingScore> scores)
        {
            var with = scores.Where(s => s.Angles != null).Select(s => s.Angles!).ToList();
            return new Dictionary<string, ErrorSummary>
            {
                ["trunk_flexion"] = ErrorSummary.Of(with.SelectMany(a => a.Trunk)),
                ["head_flexion"] = ErrorSummary.Of(with.SelectMany(a => a.Head)),
                ["torso"] = ErrorSummary.Of(with.SelectMany(a => a.Torso)),
            };
        }

        public static Dictionary<string, Dictionary<string, ErrorSummary>> ByActivity(IReadOnlyList<RecordingScore> scores)
        {
            var kinds = scores.SelectMany(s => s.AngleErrorsByActivity.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal);
            return kinds.ToDictionary(k => k, k => new Dictionary<string, ErrorSummary>
            {
                ["trunk_flexion"] = ErrorSummary.Of(scores.Where(s => s.AngleErrorsByActivity.ContainsKey(k)).SelectMany(s => s.AngleErrorsByActivity[k].Trunk)),
                ["head_flexion"] = ErrorSummary.Of(scores.Where(s => s.AngleErrorsByActivity.ContainsKey(k)).SelectMany(s => s.AngleErrorsByActivity[k].Head)),
            });
        }
    }

    /// <summary>Strict false alerts in one true activity kind, and the time spent in it.</summary>
    public sealed record ActivityAlertFigures(int Alerts, double Hours, double PerHour)
    {
        public static Dictionary<string, ActivityAlertFigures> From(IReadOnlyList<RecordingScore> scores)
        {
            var kinds = scores.SelectMany(s => s.SecondsByActivity.Keys.Concat(s.FalseByActivity.Keys)).Distinct().OrderBy(k => k);
            return kinds.ToDictionary(k => k, k =>
            {
                int n = scores.Sum(s => s.FalseByActivity.GetValueOrDefault(k));
                double h = scores.Sum(s => s.SecondsByActivity.GetValueOrDefault(k)) / 3600;
                return new ActivityAlertFigures(n, h, h > 0 ? n / h : double.NaN);
            });
        }
    }
}
