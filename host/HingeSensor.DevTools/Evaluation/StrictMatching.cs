using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Analysis;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>Episodes matched one to one, and what was left over.</summary>
    public sealed record StrictMatch
    {
        /// <summary>Per fault kind: labeled episodes, and those matched by an alert no other episode took.</summary>
        public Dictionary<string, (int Labeled, int Detected)> ByKind { get; init; } = new();

        /// <summary>Alerts no episode took (chatter included): the strict false alerts.</summary>
        public List<AlertRecord> Unmatched { get; init; } = new();

        /// <summary>Episodes that drew at least one alert, and the alerts they drew beyond their first.</summary>
        public int AlertedEpisodes { get; init; }
        public int ExtraAlerts { get; init; }
    }

    /// <summary>
    /// Strict scoring: one alert matches at most one episode and one episode at most one alert
    /// (the loose score lets an alert spanning two episodes detect both, and lets a burst of
    /// alerts on one episode pass as one). Episodes are taken in onset order, each with the
    /// earliest free alert of its kind starting within the tolerance of its span. Chattering: every
    /// alert is assigned to the first episode whose window holds its start; alerts beyond an
    /// episode's first are extra.
    /// </summary>
    public static class StrictMatching
    {
        public static StrictMatch Match(IReadOnlyList<LabelFault> faults, IReadOnlyList<AlertRecord> alerts, double toleranceS)
        {
            var used = new bool[alerts.Count];
            var byKind = DetectionScore.Kinds.ToDictionary(k => k, _ => (0, 0));
            var ordered = faults.OrderBy(f => f.OnsetS).ToList();
            bool InWindow(LabelFault f, AlertRecord a) => a.Fault == f.Kind && a.StartS >= f.OnsetS - toleranceS && a.StartS <= f.EndS + toleranceS;
            foreach (LabelFault f in ordered)
            {
                int best = -1;
                for (int i = 0; i < alerts.Count; i++)
                    if (!used[i] && InWindow(f, alerts[i]) && (best < 0 || alerts[i].StartS < alerts[best].StartS)) best = i;
                if (best >= 0) used[best] = true;
                byKind.TryGetValue(f.Kind, out var k);
                byKind[f.Kind] = (k.Item1 + 1, k.Item2 + (best >= 0 ? 1 : 0));
            }
            var perEpisode = new int[ordered.Count];
            foreach (AlertRecord a in alerts)
            {
                int e = ordered.FindIndex(f => InWindow(f, a));
                if (e >= 0) perEpisode[e]++;
            }
            return new StrictMatch
            {
                ByKind = byKind,
                Unmatched = alerts.Where((_, i) => !used[i]).ToList(),
                AlertedEpisodes = perEpisode.Count(n => n > 0),
                ExtraAlerts = perEpisode.Sum(n => n > 1 ? n - 1 : 0),
            };
        }
    }
}
