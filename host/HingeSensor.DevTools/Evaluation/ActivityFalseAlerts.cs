using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Analysis;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>
    /// False alerts by what the wearer was truly doing (the labels' activity cover), with the time
    /// spent in each activity: which everyday movements the device talks through.
    /// </summary>
    public static class ActivityFalseAlerts
    {
        /// <summary>The activity kind at t ("unknown" for a time outside the cover).</summary>
        public static string KindAt(IReadOnlyList<LabelSpan> cover, double t) =>
            cover.FirstOrDefault(s => t >= s.StartS && t < s.EndS)?.Kind ?? (cover.Count > 0 && t >= cover[^1].EndS ? cover[^1].Kind : "unknown");

        public static Dictionary<string, int> Count(IReadOnlyList<LabelSpan> cover, IEnumerable<AlertRecord> falseAlerts)
        {
            var counts = new Dictionary<string, int>();
            foreach (AlertRecord a in falseAlerts)
            {
                string k = KindAt(cover, a.StartS);
                counts[k] = counts.GetValueOrDefault(k) + 1;
            }
            return counts;
        }

        public static Dictionary<string, double> Seconds(IReadOnlyList<LabelSpan> cover) =>
            cover.GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => g.Sum(s => s.EndS - s.StartS));
    }
}
