using System;
using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Algorithms.Tests.Synthetic;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    public class AlignmentTests
    {
        private const double Persistence = 0.2;
        private const double OneSample = MetricRun.Dt;

        // A hinge rep with a straight back: the torso (upper back) goes to 'depth', the pelvis to
        // 90 % of it, so a clean rep shows 10 % of the depth as trunk flexion (8.5° at 85°).
        // 'rounding' and 'head' are added on top (degrees of extra trunk / head flexion).
        private static Pose Hinge(double s, double depth, double down = 1.5, double hold = 0.5, double up = 1.5,
            Func<double, double>? rounding = null, Func<double, double>? head = null)
        {
            double a = Timeline.UpDown(s, down, hold, up);
            double sacrum = 0.9 * depth * a;
            double upper = depth * a + (rounding?.Invoke(s) ?? 0);
            return new Pose { SacrumSag = sacrum, UpperSag = upper, HeadSag = upper - 3 * a + (head?.Invoke(s) ?? 0) };
        }

        private static void AssertOnTime(double expected, double actual, string what)
        {
            Assert.True(actual >= expected - 1e-6 && actual <= expected + OneSample + 1e-6,
                $"{what}: expected at {expected:0.000} s (+ one sample), got {actual:0.000} s");
        }

        [Fact]
        public void Clean_reps_raise_nothing()
        {
            var tl = new Timeline().Hold(1, default);
            for (int i = 0; i < 5; i++) tl.Add(3.5, s => Hinge(s, 85)).Hold(1, default);
            MetricRun run = MetricRun.Run(tl);
            Assert.Empty(run.Events);
            Assert.Equal(5, run.Reps.Count(r => r.Counted));
            Assert.All(run.Reps, r => Assert.Equal(0, r.FaultMask));
        }

        [Fact]
        public void Rounding_that_starts_mid_descent_is_announced_after_the_persistence_window_and_corrected()
        {
            // Trunk flexion grows from 0.75 s (mid-descent) by 30° over 1 s, recedes during the ascent.
            Func<double, double> rounding = s => 30 * Timeline.Ramp(s, 0.75, 1.75) * (1 - Timeline.Ramp(s, 2.2, 3.0));
            var tl = new Timeline().Hold(1, default).Add(3.5, s => Hinge(s, 85, rounding: rounding)).Hold(1, default);
            MetricRun run = MetricRun.Run(tl);

            double onset = MetricRun.FirstCrossing(t => tl.At(t).TrunkFlexion, 20, 0);
            double clear = MetricRun.FirstCrossing(t => 16 - tl.At(t).TrunkFlexion, 0, onset + 0.5);
            AlignmentEvent started = Assert.Single(run.Events, e => e.Kind == AlignmentEventKind.Started);
            Assert.Equal(Fault.BackRounding, started.Fault);
            AssertOnTime(onset + Persistence, started.TimeS, "alert");
            Assert.Equal(onset, started.OnsetS, 3);
            AlignmentEvent corrected = Assert.Single(run.Events, e => e.Kind == AlignmentEventKind.Corrected);
            AssertOnTime(clear + 0.1, corrected.TimeS, "corrected (after the 0.1 s clear hold)");
            Assert.InRange(corrected.PeakDeg, 38f, 38.6f); // 8.5° clean + 30° rounding
            Rep rep = Assert.Single(run.Reps);
            Assert.True(rep.Counted);
            Assert.Equal(Faults.Bit(Fault.BackRounding), rep.FaultMask);
            Assert.InRange(rep.MaxTrunkFlexionDeg, 38f, 38.6f);
        }

        [Fact]
        public void A_chin_drop_at_the_bottom_is_announced_on_time()
        {
            Func<double, double> chin = s => 28 * Timeline.Ramp(s, 1.6, 1.9) * (1 - Timeline.Ramp(s, 2.1, 2.4));
            var tl = new Timeline().Hold(1, default).Add(3.5, s => Hinge(s, 80, head: chin)).Hold(1, default);
            MetricRun run = MetricRun.Run(tl);
            double onset = MetricRun.FirstCrossing(t => tl.At(t).HeadFlexion, 15);
            AlignmentEvent started = Assert.Single(run.Events, e => e.Kind == AlignmentEventKind.Started);
            Assert.Equal(Fault.ChinDrop, started.Fault);
            AssertOnTime(onset + Persistence, started.TimeS, "chin drop alert");
            Assert.Single(run.Events, e => e.Kind == AlignmentEventKind.Corrected && e.Fault == Fault.ChinDrop);
            Assert.Equal(Faults.Bit(Fault.ChinDrop), Assert.Single(run.Reps).FaultMask);
        }

        [Fact]
        public void A_head_cranked_up_is_announced()
        {
            Func<double, double> up = s => -22 * Timeline.Ramp(s, 1.4, 1.7) * (1 - Timeline.Ramp(s, 2.2, 2.6));
            var tl = new Timeline().Hold(1, default).Add(3.5, s => Hinge(s, 80, head: up)).Hold(1, default);
            MetricRun run = MetricRun.Run(tl);
            double onset = MetricRun.FirstCrossing(t => -tl.At(t).HeadFlexion, 10);
            AlignmentEvent started = Assert.Single(run.Events, e => e.Kind == AlignmentEventKind.Started);
            Assert.Equal(Fault.HeadUp, started.Fault);
            AssertOnTime(onset + Persistence, started.TimeS, "head-up alert");
            Assert.InRange(started.PeakDeg, 24.5f, 25.5f); // 22° cranked up + the 3° of a neutral head at the bottom
        }

        [Fact]
        public void A_spike_shorter_than_the_persistence_window_stays_silent()
        {
            Func<double, double> spike = s => s > 1.6 && s < 1.75 ? 30 : 0; // 150 ms
            var tl = new Timeline().Hold(1, default).Add(3.5, s => Hinge(s, 80, rounding: spike)).Hold(1, default);
            Assert.Empty(MetricRun.Run(tl).Events);
        }

        [Fact]
        public void Hovering_inside_the_hysteresis_band_does_not_chatter()
        {
            // Trunk flexion up to 25°, then wobbling between 17° and 23° at the bottom (threshold 20,
            // clears only below 16): one episode, ended once the rep is over.
            Func<double, double> total = s => s < 1.5 ? 8 + 17 * Timeline.Ramp(s, 0.9, 1.5) : 20 + 3 * Math.Cos(2 * Math.PI * 2 * (s - 1.5));
            var tl = new Timeline().Hold(1, default).Add(6, s => Hinge(s, 80, down: 1.5, hold: 3, up: 1.5, rounding: s2 => s2 < 4.5 ? total(s2) - 8 * Timeline.UpDown(s2, 1.5, 3, 1.5) : 0)).Hold(1, default);
            MetricRun run = MetricRun.Run(tl);
            Assert.Single(run.Events, e => e.Kind == AlignmentEventKind.Started);
            Assert.Equal(1, run.Events.Count(e => e.Kind == AlignmentEventKind.Corrected || e.Kind == AlignmentEventKind.Ended));
        }

        [Fact]
        public void A_held_fault_is_repeated_at_the_reminder_interval()
        {
            var tl = new Timeline().Hold(1, default)
                .Add(10, s => Hinge(s, 80, down: 1.5, hold: 7, up: 1.5, rounding: s2 => 30 * Timeline.Ramp(s2, 1.0, 1.5) * (1 - Timeline.Ramp(s2, 8.5, 9.0))))
                .Hold(1, default);
            MetricRun run = MetricRun.Run(tl);
            AlignmentEvent started = run.Events.Single(e => e.Kind == AlignmentEventKind.Started);
            var reminders = run.Events.Where(e => e.Kind == AlignmentEventKind.Reminder).ToList();
            Assert.Equal(2, reminders.Count);
            Assert.Equal(started.TimeS + 3, reminders[0].TimeS, 2);
            Assert.Equal(started.TimeS + 6, reminders[1].TimeS, 2);
        }

        [Fact]
        public void The_same_fault_cannot_buzz_again_within_the_cooldown()
        {
            // Rounds, corrects, rounds again 0.5 s later: the second alert waits for the 1 s cooldown.
            Func<double, double> twice = s => 30 * (Timeline.Ramp(s, 1.0, 1.2) - Timeline.Ramp(s, 1.6, 1.7) + Timeline.Ramp(s, 2.1, 2.2) - Timeline.Ramp(s, 3.6, 3.8));
            var tl = new Timeline().Hold(1, default).Add(6, s => Hinge(s, 80, down: 1.0, hold: 3.5, up: 1.5, rounding: twice)).Hold(1, default);
            MetricRun run = MetricRun.Run(tl);
            var starts = run.Events.Where(e => e.Kind == AlignmentEventKind.Started).ToList();
            var corrected = run.Events.First(e => e.Kind == AlignmentEventKind.Corrected);
            Assert.Equal(2, starts.Count);
            Assert.True(starts[1].TimeS >= corrected.TimeS + 1.0f - 1e-4f, $"second alert {starts[1].TimeS} too soon after {corrected.TimeS}");
            Assert.True(starts[1].TimeS < corrected.TimeS + 1.0f + 2 * OneSample);
        }

        [Fact]
        public void Standing_walking_and_a_slumped_sit_stay_silent_but_posture_mode_speaks()
        {
            var tl = new Timeline()
                .Add(10, s => new Pose { UpperSag = 4 * Math.Sin(2 * Math.PI * s), SacrumSag = 3 * Math.Sin(2 * Math.PI * s + 1), HeadSag = 5 * Math.Sin(2 * Math.PI * 0.9 * s) })
                .Add(2, s => new Pose { SacrumSag = -15 * Timeline.Ramp(s, 0, 2), UpperSag = 15 * Timeline.Ramp(s, 0, 2), HeadSag = 40 * Timeline.Ramp(s, 0, 2) })
                .Hold(10, new Pose { SacrumSag = -15, UpperSag = 15, HeadSag = 40 }); // slumped over a phone: trunk 30°, chin 25°
            Assert.Empty(MetricRun.Run(tl).Events);
            Assert.Empty(MetricRun.Run(tl).Reps);
            MetricRun postureMode = MetricRun.Run(tl, new AlignmentSettings { AlwaysOn = true });
            Assert.Contains(postureMode.Events, e => e.Kind == AlignmentEventKind.Started && e.Fault == Fault.BackRounding);
            Assert.Contains(postureMode.Events, e => e.Kind == AlignmentEventKind.Started && e.Fault == Fault.ChinDrop);
        }

        [Fact]
        public void A_lost_head_sensor_ends_its_faults_and_raises_no_more_while_the_back_is_still_watched()
        {
            Func<double, double> chin = s => 28 * Timeline.Ramp(s, 1.0, 1.2);
            Func<double, double> round = s => 30 * Timeline.Ramp(s, 2.4, 2.6);
            var tl = new Timeline().Hold(1, default).Add(6, s => Hinge(s, 80, down: 1.0, hold: 3.5, up: 1.5, rounding: round, head: chin)).Hold(1, default);
            // The head sensor drops out at t = 3 s and never returns.
            MetricRun run = MetricRun.Run(tl, validMask: t => t < 3.0 ? 7 : 6);
            Assert.Single(run.Events, e => e.Kind == AlignmentEventKind.Started && e.Fault == Fault.ChinDrop);
            AlignmentEvent ended = Assert.Single(run.Events, e => e.Kind == AlignmentEventKind.Ended && e.Fault == Fault.ChinDrop);
            Assert.Equal(3.0, ended.TimeS, 2);
            Assert.Single(run.Events, e => e.Kind == AlignmentEventKind.Started && e.Fault == Fault.BackRounding);
            Assert.DoesNotContain(run.Events, e => e.Fault == Fault.HeadUp);
        }

        [Fact]
        public void Percent_of_range_thresholds_follow_the_wearers_own_range()
        {
            var cal = new BodyCalibration { HasRange = true, RangeTrunkFlexionDeg = 40 };
            var settings = new AlignmentSettings { UseRangePercent = true, BackRoundingPercent = 70 };
            // Trunk flexion peaking at 25° (8° clean + 17°): over the 20° default, under 70 % of 40° = 28°.
            Func<double, double> round25 = s => 17 * Timeline.Ramp(s, 0.8, 1.3) * (1 - Timeline.Ramp(s, 2.0, 2.5));
            var tl = new Timeline().Hold(1, default).Add(3.5, s => Hinge(s, 80, rounding: round25)).Hold(1, default);
            Assert.Empty(MetricRun.Run(tl, settings, calibration: cal).Events);
            Assert.NotEmpty(MetricRun.Run(tl).Events);
            Assert.Equal(28f, new AlignmentMonitor(settings).Settings.ThresholdDeg(Fault.BackRounding, true, 40), 3);
        }
    }
}
