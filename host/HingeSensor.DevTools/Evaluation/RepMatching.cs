using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Analysis;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>Counted reps paired one to one by time overlap.</summary>
    public sealed record RepPairs(List<(LabelRep True, RepRecord Detected)> Pairs, List<LabelRep> Missed, List<RepRecord> Phantom);

    /// <summary>
    /// Pairs true and detected counted reps by time overlap, one to one, largest overlap first. A
    /// missed rep and a phantom rep are two errors, not a cancelled pair (the loose rep-count error
    /// compares totals only).
    /// </summary>
    public static class RepMatching
    {
        public static RepPairs Match(IEnumerable<LabelRep> trueReps, IEnumerable<RepRecord> detectedReps)
        {
            var truth = trueReps.Where(r => r.Counted).ToList();
            var found = detectedReps.Where(r => r.Counted).ToList();
            var candidates = new List<(int T, int D, double Overlap)>();
            for (int i = 0; i < truth.Count; i++)
                for (int j = 0; j < found.Count; j++)
                {
                    double o = Math.Min(truth[i].EndS, found[j].EndS) - Math.Max(truth[i].StartS, found[j].StartS);
                    if (o > 0) candidates.Add((i, j, o));
                }
            var tUsed = new bool[truth.Count];
            var dUsed = new bool[found.Count];
            var pairs = new List<(LabelRep, RepRecord)>();
            foreach (var (t, d, _) in candidates.OrderByDescending(c => c.Overlap))
            {
                if (tUsed[t] || dUsed[d]) continue;
                tUsed[t] = dUsed[d] = true;
                pairs.Add((truth[t], found[d]));
            }
            return new RepPairs(pairs.OrderBy(p => p.Item1.StartS).ToList(),
                truth.Where((_, i) => !tUsed[i]).ToList(), found.Where((_, j) => !dUsed[j]).ToList());
        }
    }
}
