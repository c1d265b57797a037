using System.Collections.Generic;
using System.Linq;
using HingeSensor.DevTools.Evaluation;
using HingeSensor.Host.Analysis;
using HingeSensor.Simulation.Truth;
using Xunit;

namespace HingeSensor.Host.Tests.Evaluation
{
    /// <summary>The harder detection figures (issue 12) on hand-built results and labels.</summary>
    public class HarderScoringTests
    {
        private static LabelRep TrueRep(double start, double end, List<string>? faults = null, string? borderline = null, double? target = null) =>
            new(0, 0, start, end, 80, true, "none", 5, 0, 0, faults ?? new()) { BorderlineKind = borderline, BorderlineTargetDeg = target };

        private static RepRecord Detected(double start, double end) =>
            new(1, true, start, end, 80, 1, 0.2, 1, 5, 0, 0, 70, new());

        private static AlertRecord Alert(string kind, double start) => new(kind, start - 0.2, start, start + 0.5, 25, true, 0);

        private static LabelFault Episode(string kind, double onset, double end, int rep = -1) => new(kind, "lumbar_rounding", onset, end, 25, rep);

        private static Labels LabelsOf(List<LabelRep> reps, List<LabelFault>? faults = null) =>
            new() { Reps = reps, Faults = faults ?? new(), DurationS = 60 };

        [Fact]
        public void A_missed_rep_and_a_phantom_rep_are_two_errors_not_zero()
        {
            Labels labels = LabelsOf(new() { TrueRep(0, 4), TrueRep(10, 14) });
            var result = new AnalysisResult { Reps = new() { Detected(0.2, 4.1), Detected(20, 24) }, CountedReps = 2 };
            RecordingScore score = DetectionScore.Score("r", result, labels);
            DetectionSummary summary = DetectionSummary.From(new[] { score }, 60);
            Assert.Equal(0, summary.RepCountError); // the loose figure: totals cancel
            Assert.Equal(1, summary.RepCountStrict.Missed);
            Assert.Equal(1, summary.RepCountStrict.Phantom);
            Assert.Equal(1.0, summary.RepCountStrict.Error, 9);
            Assert.Equal(10, score.RepPairs.Missed.Single().StartS);
            Assert.Equal(20, score.RepPairs.Phantom.Single().StartS);
        }

        [Fact]
        public void Reps_pair_one_to_one_by_the_largest_overlap()
        {
            // One long detected rep over two true reps pairs with one of them only: the one it overlaps more (3.5 s against 3 s).
            RepPairs p = RepMatching.Match(new[] { TrueRep(0, 4), TrueRep(4.5, 8) }, new[] { Detected(0.5, 7.5) });
            Assert.Single(p.Pairs);
            Assert.Single(p.Missed);
            Assert.Empty(p.Phantom);
            Assert.Equal(0, p.Pairs[0].True.StartS);
            Assert.Equal(4.5, p.Missed[0].StartS);
        }

        [Fact]
        public void One_alert_cannot_detect_two_episodes()
        {
            var faults = new List<LabelFault> { Episode("back_rounding", 5, 6), Episode("back_rounding", 6.2, 7) };
            var alerts = new List<AlertRecord> { Alert("back_rounding", 5.9) };
            StrictMatch m = StrictMatching.Match(faults, alerts, DetectionScore.MatchToleranceS);
            Assert.Equal((2, 1), m.ByKind["back_rounding"]);
            Assert.Empty(m.Unmatched);
            var loose = DetectionScore.Score("r", new AnalysisResult { Alerts = alerts }, LabelsOf(new(), faults));
            Assert.Equal((2, 2), loose.ByKind["back_rounding"]); // the loose score counts it twice
        }

        [Fact]
        public void Alerts_beyond_an_episodes_first_are_chatter_and_strict_false_alerts()
        {
            var faults = new List<LabelFault> { Episode("chin_drop", 5, 8), Episode("head_up", 20, 21) };
            var alerts = new List<AlertRecord> { Alert("chin_drop", 5.2), Alert("chin_drop", 6.5), Alert("chin_drop", 7.5), Alert("head_up", 20.3), Alert("chin_drop", 40) };
            StrictMatch m = StrictMatching.Match(faults, alerts, DetectionScore.MatchToleranceS);
            Assert.Equal(2, m.ExtraAlerts);
            Assert.Equal(2, m.AlertedEpisodes);
            Assert.Equal(new[] { 6.5, 7.5, 40 }, m.Unmatched.Select(a => a.StartS));
            Assert.Equal((1, 1), m.ByKind["chin_drop"]);
            var summary = DetectionSummary.From(new[] { DetectionScore.Score("r", new AnalysisResult { Alerts = alerts }, LabelsOf(new(), faults)) }, 60);
            Assert.Equal(2, summary.Chattering.ExtraAlerts);
            Assert.Equal(1.0, summary.Chattering.ExtraAlertsPerEpisode, 9);
            Assert.Equal(3, summary.Strict.FalseAlerts);
        }

        [Fact]
        public void Borderline_decisions_compare_the_truth_with_an_alert_of_the_kind_in_the_rep()
        {
            var reps = new List<LabelRep>
            {
                TrueRep(0, 4, new() { "back_rounding" }, "back_rounding", 21.5),  // fault, alerted: right
                TrueRep(10, 14, new(), "back_rounding", 18.5),                      // clean, alerted: wrong
                TrueRep(20, 24, new() { "chin_drop" }, "chin_drop", 16.5),         // fault, silent: wrong
                TrueRep(30, 34, new(), "head_up", 8.5),                             // clean, silent (a chin drop alert is another kind): right
                TrueRep(40, 44),                                                    // not borderline: not counted
            };
            var alerts = new List<AlertRecord> { Alert("back_rounding", 2), Alert("back_rounding", 12), Alert("chin_drop", 32), Alert("back_rounding", 42) };
            var summary = DetectionSummary.From(new[] { DetectionScore.Score("r", new AnalysisResult { Alerts = alerts }, LabelsOf(reps)) }, 60);
            Assert.Equal(4, summary.Borderline.Reps);
            Assert.Equal(2, summary.Borderline.Correct);
            Assert.Equal(0.5, summary.Borderline.Accuracy, 9);
            Assert.Equal(new[] { 1, 1, 1, 1 }, summary.Borderline.ByKind["back_rounding"]);
            Assert.Equal(new[] { 0, 1, 0, 0 }, summary.Borderline.ByKind["chin_drop"]);
            Assert.Equal(1.0, summary.Borderline.AccuracyByKind["head_up"], 9);
        }

        [Fact]
        public void Rep_coaching_fields_are_not_available_until_the_result_carries_them()
        {
            var summary = DetectionSummary.From(new[] { DetectionScore.Score("r", new AnalysisResult { Reps = new() { Detected(0, 4) } }, LabelsOf(new() { TrueRep(0, 4) })) }, 60);
            bool carried = typeof(RepRecord).GetProperty("Pattern") != null;
            Assert.Equal(carried, summary.RepCoaching.Pattern.Available);
            Assert.Equal(typeof(RepRecord).GetProperty("Lockout") != null, summary.RepCoaching.Lockout.Available);
        }

        [Fact]
        public void Field_agreement_counts_a_confusion_matrix_over_known_values()
        {
            FieldAgreement f = FieldAgreement.Of(new (string, string?)[] { ("hinge", "hinge"), ("hinge", "squat"), ("squat", "squat"), ("stoop", null) });
            Assert.True(f.Available);
            Assert.Equal(3, f.Reps);
            Assert.Equal(2.0 / 3, f.Accuracy, 9);
            Assert.Equal(1, f.Confusion["hinge"]["squat"]);
            Assert.False(FieldAgreement.Of(new (string, string?)[] { ("hinge", null) }).Available);
        }

        [Fact]
        public void A_cue_counts_right_only_on_the_rep_whose_truth_calls_for_it()
        {
            LabelRep squat = TrueRep(0, 3) with { Pattern = "squat" };
            LabelRep hinge = TrueRep(5, 8) with { DepthReached = true, Lockout = "incomplete" };
            RepRecord first = Detected(0, 3) with { Number = 1 }, second = Detected(5, 8) with { Number = 2 };
            var pairs = new List<(LabelRep, RepRecord)> { (squat, first), (hinge, second) };
            var cues = new List<CueRecord>
            {
                new(1.5, "squatting", 1, 30),            // right
                new(6.5, "squatting", 2, 12),            // wrong: a hinge
                new(6.6, "depth_reached", 2, 88),        // right
                new(8.2, "incomplete_lockout", 1, 15),   // wrong rep: the squat locked out
            };
            var a = CueAgreement.Of(new[] { (pairs, cues) });
            Assert.Equal(new CueAgreement(1, 2, 1), a["squatting"]);
            Assert.Equal(0.5, a["squatting"].Precision, 9);
            Assert.Equal(new CueAgreement(1, 1, 1), a["depth_reached"]);
            Assert.Equal(new CueAgreement(1, 1, 0), a["incomplete_lockout"]);
            Assert.Equal(0.0, a["incomplete_lockout"].Recall, 9);
            Assert.True(double.IsNaN(a["leaning_back"].Recall));
        }

        [Fact]
        public void False_alerts_are_counted_by_the_true_activity_they_start_in()
        {
            var cover = new List<LabelSpan> { new("standing", 0, 10), new("sit_to_stand", 10, 12), new("sitting", 12, 30) };
            var counts = ActivityFalseAlerts.Count(cover, new[] { Alert("back_rounding", 11), Alert("chin_drop", 11.5), Alert("head_up", 20) });
            Assert.Equal(2, counts["sit_to_stand"]);
            Assert.Equal(1, counts["sitting"]);
            Assert.False(counts.ContainsKey("standing"));
            Assert.Equal(18, ActivityFalseAlerts.Seconds(cover)["sitting"], 9);
        }
    }
}
