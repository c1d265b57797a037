using System;
using System.Linq;
using HingeSensor.Algorithms.Activity;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Algorithms.Tests.Synthetic;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    /// <summary>
    /// Tying a shoe (issue 12): a crouch whose knees bend deep (the sacrum drops) while the back
    /// rounds over them and the head bends to the laces. Through the whole tracker (fusion, the
    /// sacrum's accelerometer), against the lifts whose faults must still buzz: a rounded hinge, a
    /// stoop, a squat and a kettlebell swing with a chin drop.
    /// </summary>
    public class CrouchTests
    {
        private const double Start = 10 + 2; // calibration, then standing

        // Pelvis (sacrum) and torso (upper back) inclinations and the head's flexion over the torso.
        private static Pose P(double pelvis, double torso, double head = 0) => new Pose { SacrumSag = pelvis, UpperSag = torso, HeadSag = torso + head };

        // The simulator's shoe tie: torso 60° with the pelvis carrying 60 % of it (trunk flexion 24°,
        // past the 20° threshold), the head bent 25° over the laces, all in step with the knees.
        private static Func<double, Pose> ShoeTie(double down, double hold, double up)
            => s => { double a = Timeline.UpDown(s, down, hold, up); return P(36 * a, 60 * a, 25 * a); };

        private static PlanarWearer TieAShoe(double down = 1.3, double dropM = 0.40)
        {
            var w = new PlanarWearer().Hold(2, default);
            w.Rep(down, 5.0, 1.3, 3.0, ShoeTie(down, 5.0, 1.3), dropM, kneeDeg: 105);
            return w;
        }

        private static TrackerRun Run(PlanarWearer w, TrackerSettings? settings = null, double biasMps2 = 0, double biasFromS = 0)
        {
            TrackerRun run = TrackerRun.Run(w.Frames(5, biasMps2, biasFromS), settings);
            run.Flush();
            return run;
        }

        [Fact]
        public void Tying_a_shoe_stays_silent_and_is_no_rep()
        {
            TrackerRun run = Run(TieAShoe());

            Assert.DoesNotContain(run.Events, e => e.Kind == AlignmentEventKind.Started);
            // Reported as a bend the torso made, never counted as a rep.
            Assert.DoesNotContain(run.Reps, r => r.Counted);
            var bottom = run.Activity.Where(a => a.T > Start + 1.3 && a.T < Start + 1.3 + 5.0).ToList();
            Assert.All(bottom, a => Assert.Equal(ActivityKind.BendingOther, a.Kind));
            Assert.All(bottom, a => Assert.False(a.Gate, $"gate open at {a.T:F2}"));
            Assert.All(run.Activity, a => Assert.False(a.Seated));
        }

        [Fact]
        public void The_crouch_rule_is_what_keeps_the_shoe_tie_silent()
        {
            // The same crouch with the rule's share set to nothing: both faults buzz and it counts.
            var settings = new TrackerSettings();
            settings.Activity.CrouchShare = 0f;
            TrackerRun run = Run(TieAShoe(), settings);

            Assert.Contains(run.Events, e => e.Kind == AlignmentEventKind.Started && e.Fault == Fault.BackRounding);
            Assert.Contains(run.Events, e => e.Kind == AlignmentEventKind.Started && e.Fault == Fault.ChinDrop);
            Assert.Single(run.Reps, r => r.Counted);
        }

        [Fact]
        public void A_slower_crouch_is_judged_in_time_to_stay_silent()
        {
            // 1.8 s down: the slow end of the simulated ties at a slow tempo.
            TrackerRun run = Run(TieAShoe(down: 1.8));
            Assert.DoesNotContain(run.Events, e => e.Kind == AlignmentEventKind.Started);
        }

        [Fact]
        public void A_shoe_tie_from_a_stance_with_the_pelvis_tipped_forward_is_judged_on_what_the_bend_added()
        {
            // Standing with the pelvis 8° forward of neutral and the torso 4°: the same crouch's
            // pelvis reads 0.76 of the torso at the judging angle, but carries 0.6 of the bend.
            var w = new PlanarWearer().Hold(2, P(8, 4));
            w.Rep(1.3, 5.0, 1.3, 3.0, s => { double a = Timeline.UpDown(s, 1.3, 5.0, 1.3); return P(8 + 0.6 * 56 * a, 4 + 56 * a, 25 * a); }, 0.40, kneeDeg: 105);
            TrackerRun run = Run(w);

            Assert.DoesNotContain(run.Events, e => e.Kind == AlignmentEventKind.Started);
            Assert.DoesNotContain(run.Reps, r => r.Counted);
        }

        [Fact]
        public void A_rounded_hinge_still_alerts_on_time()
        {
            // A hinge to 80° whose lower back rounds from half way down: trunk flexion 28° at the bottom.
            var w = new PlanarWearer().Hold(2, default);
            w.Rep(1.5, 0.5, 1.5, 2.0, s =>
            {
                double a = Timeline.UpDown(s, 1.5, 0.5, 1.5);
                double rounding = 28 * Timeline.UpDown(s - 0.75, 0.75, 0.5, 1.0);
                return P(0.9 * 80 * a - rounding * 0.5, 80 * a + rounding * 0.5);
            }, 0.04, kneeDeg: 20);
            TrackerRun run = Run(w);

            AlignmentEvent e = Assert.Single(run.Events, x => x.Kind == AlignmentEventKind.Started);
            Assert.Equal(Fault.BackRounding, e.Fault);
            double onset = MetricRun.FirstCrossing(t => w.PoseAt(t).TrunkFlexion, 20, Start);
            Assert.InRange(e.TimeS - onset, 0.2 - 0.02, 0.2 + 0.05);
            Assert.Single(run.Reps, r => r.Counted);
        }

        [Fact]
        public void A_stoop_rounds_as_much_and_still_alerts()
        {
            // The shoe tie's rounding with straight knees: the sacrum does not drop.
            var w = new PlanarWearer().Hold(2, default);
            w.Rep(1.3, 2.0, 1.3, 2.0, s => { double a = Timeline.UpDown(s, 1.3, 2.0, 1.3); return P(0.55 * 75 * a, 75 * a); }, 0.0);
            TrackerRun run = Run(w);

            Assert.Contains(run.Events, e => e.Kind == AlignmentEventKind.Started && e.Fault == Fault.BackRounding);
            Assert.Single(run.Reps, r => r.Counted);
        }

        [Fact]
        public void A_slow_rounded_bend_is_not_judged_on_an_integral_that_has_drifted()
        {
            // A slow stoop (5 s down), the head bowed as a tie's, with a −0.5 m/s² vertical bias
            // from its start (an accelerometer bias the tilting pelvis projects anew): the bend's own
            // integral reads ~27 cm of drop by the time the torso reaches the judging angle, 1.05 s
            // after it left standing — past the time the integral is trusted.
            var w = new PlanarWearer().Hold(2, default);
            w.Rep(5.0, 1.0, 2.0, 2.0, s => { double a = Timeline.UpDown(s, 5.0, 1.0, 2.0); return P(0.55 * 80 * a, 80 * a, 25 * a); }, 0.0);
            TrackerRun run = Run(w, biasMps2: -0.5, biasFromS: Start);

            Assert.Contains(run.Events, e => e.Kind == AlignmentEventKind.Started && e.Fault == Fault.BackRounding);

            var untimed = new TrackerSettings();
            untimed.Activity.CrouchWithinS = 100f;
            Assert.DoesNotContain(Run(w, untimed, -0.5, Start).Events, e => e.Kind == AlignmentEventKind.Started);
        }

        [Fact]
        public void A_squat_with_a_chin_drop_still_alerts_and_counts()
        {
            // A deep squat: torso 50° with the pelvis carrying 72 % of it, the sacrum 42 cm down; the
            // chin drops 28° late in the descent.
            var w = new PlanarWearer().Hold(2, default);
            w.Rep(1.6, 0.4, 1.4, 2.0, s =>
            {
                double a = Timeline.UpDown(s, 1.6, 0.4, 1.4);
                return P(0.72 * 50 * a, 50 * a, 28 * Timeline.UpDown(s - 1.2, 0.4, 0.6, 0.8));
            }, 0.42, kneeDeg: 110);
            TrackerRun run = Run(w);

            AlignmentEvent e = Assert.Single(run.Events, x => x.Kind == AlignmentEventKind.Started);
            Assert.Equal(Fault.ChinDrop, e.Fault);
            Assert.Contains(run.Activity, a => a.Kind == ActivityKind.Squat);
            Assert.Single(run.Reps, r => r.Counted);
        }

        [Fact]
        public void A_swing_whose_height_reads_a_squat_still_alerts_on_a_chin_drop()
        {
            // Kettlebell swings, ~1 s each, the chin dropping 28° in the third; a −0.4 m/s² vertical
            // bias through the set (downwards) makes the sacrum's height read a squat's drop, as it does in the
            // simulated swing sets: closing the gate on "squat" would have lost this fault.
            var w = new PlanarWearer().Hold(2, default);
            for (int i = 0; i < 5; i++)
            {
                double chin = i == 2 ? 28 : 0;
                w.Rep(0.5, 0.05, 0.5, 0.15, s =>
                {
                    double a = Timeline.UpDown(s, 0.5, 0.05, 0.5);
                    return P(0.9 * 65 * a, 65 * a, chin * a);
                }, 0.03, kneeDeg: 20);
            }
            w.Hold(2, default);
            TrackerRun run = Run(w, biasMps2: -0.4, biasFromS: Start);

            AlignmentEvent e = Assert.Single(run.Events, x => x.Kind == AlignmentEventKind.Started);
            Assert.Equal(Fault.ChinDrop, e.Fault);
            Assert.Contains(run.Activity, a => a.T < e.TimeS && a.T > Start && a.Kind == ActivityKind.Squat);
        }

        [Fact]
        public void A_deep_squat_whose_lower_back_rounds_is_no_crouch_it_alerts_counts_and_is_a_squat()
        {
            // The pelvis stops tilting as the lower back rounds (its share falls to 0.45, as low as a
            // tie's), the sacrum 42 cm down, the knees deep: all a tie has, but the head stays over
            // the shoulders. Judged a crouch, it was silent and not counted (68 of 83 such squats in
            // a stress set of 8 wearers); its torso, leaning past 60° with the rounding, read as a hinge.
            PlanarWearer RoundedSquat(double headDeg)
            {
                var w = new PlanarWearer().Hold(2, default);
                w.Rep(1.6, 0.4, 1.4, 2.0, s =>
                {
                    double a = Timeline.UpDown(s, 1.6, 0.4, 1.4);
                    double round = 34 * Timeline.UpDown(s - 0.6, 0.6, 1.0, 0.8);
                    return P(0.72 * 45 * a - 0.4 * round, 45 * a + 0.6 * round, headDeg * a);
                }, 0.42, kneeDeg: 115);
                return w;
            }
            TrackerRun run = Run(RoundedSquat(0));

            Assert.Contains(run.Events, x => x.Kind == AlignmentEventKind.Started && x.Fault == Fault.BackRounding);
            Rep rep = Assert.Single(run.Reps, r => r.Counted);
            Assert.Equal(RepPattern.Squat, rep.Pattern);
            Assert.True(rep.DepthDeg > 60, $"the rounding leans the torso past the old 60° line: {rep.DepthDeg:0.0}°");

            // The same squat with the head bowed 25° over the feet is a tie's posture: silent.
            Assert.DoesNotContain(Run(RoundedSquat(25)).Events, x => x.Kind == AlignmentEventKind.Started);
        }

        [Fact]
        public void A_shoe_tie_at_the_top_of_the_ties_share_stays_silent()
        {
            // The pelvis carrying 0.68 of the torso (a coaching-suite tie read 0.67 and buzzed twice
            // at a 0.66 line): the bowed head, not a line between ties and squats, decides now.
            var w = new PlanarWearer().Hold(2, default);
            w.Rep(1.3, 5.0, 1.3, 3.0, s => { double a = Timeline.UpDown(s, 1.3, 5.0, 1.3); return P(0.68 * 60 * a, 60 * a, 25 * a); }, 0.40, kneeDeg: 105);
            TrackerRun run = Run(w);
            Assert.DoesNotContain(run.Events, e => e.Kind == AlignmentEventKind.Started);
            Assert.DoesNotContain(run.Reps, r => r.Counted);
        }
    }
}
