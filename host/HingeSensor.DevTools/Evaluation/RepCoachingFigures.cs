using System.Collections.Generic;
using System.Linq;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>Agreement of one per-rep field between truth and device over paired reps; "not available" until `hinge analyze` writes it.</summary>
    public sealed record FieldAgreement
    {
        public bool Available { get; init; }
        public int Reps { get; init; }
        public double Accuracy { get; init; } = double.NaN;
        /// <summary>truth → detected → count.</summary>
        public Dictionary<string, Dictionary<string, int>> Confusion { get; init; } = new();

        public static FieldAgreement Of(IEnumerable<(string True, string? Detected)> pairs)
        {
            var known = pairs.Where(p => p.Detected != null).ToList();
            if (known.Count == 0) return new FieldAgreement();
            return new FieldAgreement
            {
                Available = true,
                Reps = known.Count,
                Accuracy = (double)known.Count(p => p.True == p.Detected) / known.Count,
                Confusion = known.GroupBy(p => p.True).OrderBy(g => g.Key)
                    .ToDictionary(g => g.Key, g => g.GroupBy(p => p.Detected!).OrderBy(h => h.Key).ToDictionary(h => h.Key, h => h.Count())),
            };
        }
    }

    /// <summary>Pattern classification, depth reached and lockout, truth against device, over reps paired by <see cref="RepMatching"/>.</summary>
    public sealed record RepCoachingFigures
    {
        public FieldAgreement Pattern { get; init; } = new();
        public FieldAgreement DepthReached { get; init; } = new();
        public FieldAgreement Lockout { get; init; } = new();

        public static RepCoachingFigures From(IReadOnlyList<RecordingScore> scores)
        {
            var pairs = scores.SelectMany(s => s.RepPairs.Pairs).Select(p => (p.True, Fields: RepCoachingFields.Read(p.Detected))).ToList();
            static string B(bool b) => b ? "true" : "false";
            return new RepCoachingFigures
            {
                Pattern = FieldAgreement.Of(pairs.Select(p => (p.True.Pattern, p.Fields.Pattern))),
                DepthReached = FieldAgreement.Of(pairs.Select(p => (B(p.True.DepthReached), p.Fields.DepthReached is bool d ? B(d) : null))),
                Lockout = FieldAgreement.Of(pairs.Select(p => (p.True.Lockout, p.Fields.Lockout))),
            };
        }
    }
}
