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
        /// <summary>The rep's shape against the labels, by true pattern and "all".</summary>
        public RepShapeErrors Shape { get; init; } = new();
        /// <summary>Each end-of-rep and bottom cue against what the rep's truth calls for (<see cref="CueAgreement"/>).</summary>
        public SortedDictionary<string, CueAgreement> Cues { get; init; } = new();

        public static RepCoachingFigures From(IReadOnlyList<RecordingScore> scores)
        {
            var pairs = scores.SelectMany(s => s.RepPairs.Pairs).Select(p => (p.True, Fields: RepCoachingFields.Read(p.Detected))).ToList();
            static string B(bool b) => b ? "true" : "false";
            return new RepCoachingFigures
            {
                Pattern = FieldAgreement.Of(pairs.Select(p => (p.True.Pattern, p.Fields.Pattern))),
                DepthReached = FieldAgreement.Of(pairs.Select(p => (B(p.True.DepthReached), p.Fields.DepthReached is bool d ? B(d) : null))),
                Lockout = FieldAgreement.Of(pairs.Select(p => (p.True.Lockout, p.Fields.Lockout))),
                Shape = RepShapeErrors.From(scores),
                Cues = CueAgreement.Of(scores.Select(s => (s.RepPairs.Pairs, s.Cues))),
            };
        }
    }
}

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>
    /// Per-rep shape error over paired reps, by the labels' true pattern (and "all"): the sacrum's
    /// drop, cm, against the labels' <c>sacrum_drop_cm</c> (standing to the deepest torso), and the
    /// pelvis share against <c>pelvis_share</c>. A rep whose drop the device reported as unknown
    /// (NaN) has no error: it is counted in <see cref="DropUnknown"/> instead.
    /// </summary>
    public sealed record RepShapeErrors
    {
        /// <summary>|device − truth| of the drop, cm.</summary>
        public System.Collections.Generic.Dictionary<string, ErrorSummary> SacrumDropCm { get; init; } = new();
        /// <summary>Mean of device − truth of the drop, cm (the sign of a bias).</summary>
        public System.Collections.Generic.Dictionary<string, double> SacrumDropBiasCm { get; init; } = new();
        /// <summary>Paired reps whose drop the device reported as unknown.</summary>
        public System.Collections.Generic.Dictionary<string, int> DropUnknown { get; init; } = new();
        /// <summary>|device − truth| of the pelvis share (0–1).</summary>
        public System.Collections.Generic.Dictionary<string, ErrorSummary> PelvisShare { get; init; } = new();
        /// <summary>The worst drops: recording, true pattern, rep start, truth and device, cm.</summary>
        public System.Collections.Generic.List<string> WorstDrops { get; init; } = new();

        public static RepShapeErrors From(System.Collections.Generic.IReadOnlyList<RecordingScore> scores)
        {
            var pairs = scores.SelectMany(s => s.RepPairs.Pairs.Select(p => (s.Name, p.True, p.Detected))).ToList();
            var groups = pairs.GroupBy(p => p.True.Pattern).OrderBy(g => g.Key)
                .Select(g => (Key: g.Key, Items: g.ToList())).Append((Key: "all", Items: pairs)).ToList();
            var r = new RepShapeErrors();
            foreach (var (key, items) in groups)
            {
                var known = items.Where(p => !double.IsNaN(p.Detected.SacrumDropCm)).ToList();
                r.SacrumDropCm[key] = ErrorSummary.Of(known.Select(p => p.Detected.SacrumDropCm - p.True.SacrumDropCm));
                r.SacrumDropBiasCm[key] = known.Count > 0 ? known.Average(p => p.Detected.SacrumDropCm - p.True.SacrumDropCm) : double.NaN;
                r.DropUnknown[key] = items.Count - known.Count;
                r.PelvisShare[key] = ErrorSummary.Of(items.Where(p => !double.IsNaN(p.Detected.PelvisShare)).Select(p => p.Detected.PelvisShare - p.True.PelvisShare));
            }
            foreach (var p in pairs.Where(p => !double.IsNaN(p.Detected.SacrumDropCm))
                         .OrderByDescending(p => System.Math.Abs(p.Detected.SacrumDropCm - p.True.SacrumDropCm)).Take(8))
                r.WorstDrops.Add(System.FormattableString.Invariant($"{p.Name} {p.True.Pattern} @{p.True.StartS:0.0}s true {p.True.SacrumDropCm:0.0} device {p.Detected.SacrumDropCm:0.0}"));
            return r;
        }
    }
}
