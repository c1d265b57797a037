using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Analysis;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>
    /// Whether each paired rep earned the cue its truth calls for (the wearer trains a hinge, the
    /// analysis's default): "squatting" for a true squat, "incomplete_lockout" and "leaning_back"
    /// for those true finishes, "depth_reached" for a true rep to the target depth. Counted per cue:
    /// reps that called for it, reps that got it, and of those given how many were right.
    /// </summary>
    public sealed record CueAgreement(int Expected, int Given, int Right)
    {
        /// <summary>Reps that called for the cue and got it, of those that called for it.</summary>
        public double Recall => Expected > 0 ? (double)Right / Expected : double.NaN;

        /// <summary>Cues given to reps that called for them, of all given.</summary>
        public double Precision => Given > 0 ? (double)Right / Given : double.NaN;

        /// <summary>The cue's name → its agreement, over every recording's paired counted reps.</summary>
        public static SortedDictionary<string, CueAgreement> Of(IEnumerable<(List<(LabelRep True, RepRecord Detected)> Pairs, List<CueRecord> Cues)> recordings)
        {
            var counts = new SortedDictionary<string, int[]>();
            foreach (var (pairs, cues) in recordings)
            {
                foreach (var (truth, detected) in pairs)
                {
                    if (!detected.Counted) continue; // cues belong to counted reps
                    var got = new HashSet<string>(cues.Where(c => c.Rep == detected.Number).Select(c => c.Cue));
                    Add(counts, "squatting", truth.Pattern == "squat", got.Contains("squatting"));
                    Add(counts, "depth_reached", truth.DepthReached, got.Contains("depth_reached"));
                    Add(counts, "incomplete_lockout", truth.Lockout == "incomplete", got.Contains("incomplete_lockout"));
                    Add(counts, "leaning_back", truth.Lockout == "over_extension", got.Contains("leaning_back"));
                }
            }
            var result = new SortedDictionary<string, CueAgreement>();
            foreach (var (cue, c) in counts) result[cue] = new CueAgreement(c[0], c[1], c[2]);
            return result;
        }

        private static void Add(SortedDictionary<string, int[]> counts, string cue, bool expected, bool given)
        {
            if (!counts.TryGetValue(cue, out int[]? c)) counts[cue] = c = new int[3];
            if (expected) c[0]++;
            if (given) c[1]++;
            if (expected && given) c[2]++;
        }
    }
}
