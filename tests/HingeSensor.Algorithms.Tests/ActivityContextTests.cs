using System;
using System.Linq;
using HingeSensor.Algorithms.Activity;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Tests.Synthetic;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    /// <summary>
    /// The activity context through the whole tracker (fusion included) on a synthetic wearer whose
    /// sacrum really moves up and down: sitting, a reach from the chair that rounds the back just
    /// past the threshold, standing up, then a hinge that rounds the same way.
    /// </summary>
    public class ActivityContextTests
    {
        private const double SitDown = 10 + 2 + 2.0; // calibration, stand, the sit-down

        // Pelvis (sacrum) and torso (upper back) inclinations; the head follows the torso.
        private static Pose P(double pelvis, double torso) => new Pose { SacrumSag = pelvis, UpperSag = torso, HeadSag = torso };

        // A reach whose trunk flexion (torso − pelvis) peaks at 24°, 4° past the 20° threshold.
        private static Pose Reach(double s, double pelvisFrom)
        {
            double a = Timeline.UpDown(s, 1.2, 2.0, 1.2);
            return P(pelvisFrom + (16 - pelvisFrom) * a, 40 * a);
        }

        private static PlanarWearer SeatedDay()
        {
            var w = new PlanarWearer().Hold(2, default);
            w.Move(2.0, s => P(-15 * Timeline.Ramp(s, 0, 1.6), 20 * Timeline.UpDown(s, 1, 0, 1)), -0.45, 0.2, 1.8);
            w.Hold(4, P(-15, 0));
            w.Move(4.4, s => Reach(s, -15));
            w.Hold(2, P(-15, 0));
            w.Move(2.5, s =>
            {
                double lean = 35 * Timeline.UpDown(s, 0.8, 0.2, 1.5);
                return P(-15 * (1 - Timeline.Ramp(s, 0.3, 2.0)) + 0.8 * lean, lean);
            }, 0, 0.6, 2.2);
            w.Hold(3, default);
            // The same rounding in a real hinge: the pelvis carries 60 % of a 60° torso.
            w.Move(4.4, s => { double a = Timeline.UpDown(s, 1.2, 2.0, 1.2); return P(36 * a, 60 * a); });
            w.Hold(2, default);
            return w;
        }

        [Fact]
        public void A_reach_from_a_chair_stays_silent_and_the_same_rounding_in_a_hinge_alerts_on_time()
        {
            PlanarWearer w = SeatedDay();
            TrackerRun run = TrackerRun.Run(w.Frames());

            double reachStart = SitDown + 4, reachEnd = reachStart + 4.4;
            var inReach = run.Activity.Where(a => a.T > reachStart && a.T < reachEnd).ToList();
            Assert.All(inReach, a => Assert.True(a.Seated, $"not seated at {a.T:F2}"));
            Assert.All(inReach, a => Assert.False(a.Gate, $"gate open at {a.T:F2}"));
            Assert.Contains(inReach, a => a.Kind == ActivityKind.BendingOther);
            Assert.Contains(run.Activity, a => a.Kind == ActivityKind.Sitting);
            Assert.Contains(run.Activity, a => a.Kind == ActivityKind.SitToStand);

            double hingeStart = reachEnd + 2 + 2.5 + 3;
            Assert.DoesNotContain(run.Events, e => e.TimeS < hingeStart);
            AlignmentEvent rounding = Assert.Single(run.Events, e => e.Kind == AlignmentEventKind.Started);
            Assert.Equal(Fault.BackRounding, rounding.Fault);
            // No added latency: the persistence window after the true crossing, within two samples.
            double onset = MetricRun.FirstCrossing(t => w.PoseAt(t).TrunkFlexion, 20, hingeStart);
            Assert.InRange(rounding.TimeS - onset, 0.2 - 0.02, 0.2 + 0.03);
            Assert.All(run.Activity.Where(a => a.T > hingeStart), a => Assert.False(a.Seated));
            Assert.Contains(run.Activity, a => a.T > hingeStart && a.Kind == ActivityKind.Hinge);
        }

        [Fact]
        public void The_same_reach_standing_is_a_stoop_and_alerts()
        {
            var w = new PlanarWearer().Hold(2, default);
            w.Move(4.4, s => Reach(s, 0));
            w.Hold(2, default);
            TrackerRun run = TrackerRun.Run(w.Frames());

            Assert.Contains(run.Activity, a => a.Kind == ActivityKind.BendingOther && !a.Seated);
            Assert.DoesNotContain(run.Activity, a => a.Seated);
            Assert.Contains(run.Events, e => e.Kind == AlignmentEventKind.Started && e.Fault == Fault.BackRounding);
        }

        [Fact]
        public void Posture_mode_watches_a_seated_wearer_too()
        {
            var settings = new Pipeline.TrackerSettings();
            settings.Alignment.AlwaysOn = true;
            TrackerRun run = TrackerRun.Run(SeatedDay().Frames(), settings);

            double reachStart = SitDown + 4;
            Assert.Contains(run.Events, e => e.Kind == AlignmentEventKind.Started && e.Fault == Fault.BackRounding && e.TimeS > reachStart && e.TimeS < reachStart + 4.4);
        }
    }
}
