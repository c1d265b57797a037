using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice.Models;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>What the wearer feels of the coach's decisions: AlertHaptics alone, on the engine and a logged motor.</summary>
    public class AlertHapticsTests
    {
        private readonly MotorLog _motor = new();
        private readonly HapticEngine _engine;
        private readonly AlertHaptics _alerts;

        public AlertHapticsTests()
        {
            _engine = new HapticEngine(_motor);
            _alerts = new AlertHaptics(_engine);
        }

        private static AlignmentEvent Event(AlignmentEventKind kind, Fault fault) => new() { Kind = kind, Fault = fault };

        // Runs the engine for a while (1 ms steps); returns the pulses felt, ms.
        private int[] Felt(long fromUs, long toUs)
        {
            int before = _motor.Pulses().Count;
            for (long t = fromUs; t <= toUs; t += 1000)
            {
                _motor.NowS = t * 1e-6;
                _engine.Tick(t);
            }
            return _motor.Pulses().Skip(before).Select(p => (int)System.Math.Round(p.LengthS * 1000)).ToArray();
        }

        [Theory]
        [InlineData(Fault.BackRounding, HapticPattern.BackRounding)]
        [InlineData(Fault.ChinDrop, HapticPattern.ChinDrop)]
        [InlineData(Fault.HeadUp, HapticPattern.HeadUp)]
        public void A_fault_starting_and_each_reminder_play_that_faults_own_rhythm(Fault fault, HapticPattern pattern)
        {
            int[] rhythm = HapticRhythm.Of(pattern);
            int[] onTimes = rhythm.Where((_, i) => i % 2 == 0).ToArray();

            _alerts.OnAlignment(Event(AlignmentEventKind.Started, fault), 0);
            Assert.Equal(pattern, _engine.Playing);
            Assert.Equal(onTimes, Felt(0, 3_000_000));

            _alerts.OnAlignment(Event(AlignmentEventKind.Reminder, fault), 3_000_000);
            Assert.Equal(onTimes, Felt(3_000_000, 6_000_000));
        }

        [Fact]
        public void The_faults_rhythms_differ_so_the_wearer_knows_which_without_looking()
        {
            var rhythms = new[] { Fault.BackRounding, Fault.ChinDrop, Fault.HeadUp }.Select(f => string.Join(",", HapticRhythm.Of(AlertHaptics.PatternFor(f))));
            Assert.Equal(3, rhythms.Distinct().Count());
        }

        [Fact]
        public void Corrected_is_a_soft_tick_and_an_ended_episode_is_silent()
        {
            _alerts.OnAlignment(Event(AlignmentEventKind.Corrected, Fault.BackRounding), 0);
            Assert.Equal(HapticPattern.Corrected, _engine.Playing);
            Assert.Equal(0.8f * HapticRhythm.Strength(HapticPattern.Corrected), _motor.Duty, 3); // the engine's default intensity
            Felt(0, 2_000_000);

            int changes = _motor.Changes.Count;
            _alerts.OnAlignment(Event(AlignmentEventKind.Ended, Fault.BackRounding), 2_000_000);
            Assert.Equal(HapticPattern.None, _engine.Playing);
            Assert.Equal(changes, _motor.Changes.Count);
        }

        [Fact]
        public void A_sensor_lost_cuts_a_coaching_alert_short_and_a_correction_waits_for_it()
        {
            _alerts.OnAlignment(Event(AlignmentEventKind.Started, Fault.ChinDrop), 0);
            _alerts.OnSensorLost(50_000);
            _alerts.OnAlignment(Event(AlignmentEventKind.Corrected, Fault.ChinDrop), 60_000);
            var played = new System.Collections.Generic.List<HapticPattern> { _engine.Playing };
            for (long t = 60_000; t < 5_000_000; t += 1000)
            {
                _engine.Tick(t);
                if (_engine.Playing != played[^1]) played.Add(_engine.Playing);
            }
            Assert.Equal(new[] { HapticPattern.SensorFault, HapticPattern.Corrected, HapticPattern.None }, played);
        }

        [Fact]
        public void The_config_sets_the_strength_and_quiet_mode_silences_coaching_but_not_the_wearers_own_answers()
        {
            var config = new DeviceConfig { HapticIntensityPercent = 50 };
            _alerts.Configure(config);
            _alerts.OnCalibration(true, 0);
            Assert.Equal(HapticPattern.CalibrationDone, _engine.Playing);
            Assert.Equal(0.5f, _motor.Duty, 3);
            Felt(0, 2_000_000);

            config.Flags |= DeviceConfig.FlagQuiet;
            _alerts.Configure(config);
            int changes = _motor.Changes.Count;
            _alerts.OnAlignment(Event(AlignmentEventKind.Started, Fault.BackRounding), 2_000_000);
            _alerts.OnCalibration(false, 2_000_000);
            _alerts.OnStorageFull(2_000_000);
            Assert.Equal(HapticPattern.None, _engine.Playing);
            Assert.Equal(changes, _motor.Changes.Count);

            _engine.Play(HapticPattern.ButtonTick, 2_000_000); // the button's answer still plays, at its floor
            Assert.Equal(HapticEngine.AnswerFloor, _motor.Duty, 3);
        }
    }
}
