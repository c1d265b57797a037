using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice.Models;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>The config in force (Configuration alone, on a flash model) and its one mapping to the pipeline's settings.</summary>
    public class ConfigurationTests
    {
        private readonly FlashModel _flash = new();
        private readonly TrackerSettings _settings = new();
        private readonly HapticEngine _haptics = new(new MotorLog());

        private Configuration Make(int imuRateHz = 100) => new(new ConfigStore(_flash, "/hinge/"), _settings, new AlertHaptics(_haptics), imuRateHz);

        [Fact]
        public void The_default_config_is_the_pipelines_own_defaults_in_wire_units()
        {
            var defaults = new TrackerSettings();
            new DeviceConfig().ApplyTo(_settings);
            AlignmentSettings a = _settings.Alignment, d = defaults.Alignment;
            Assert.Equal(d.BackRoundingDeg, a.BackRoundingDeg, 4);
            Assert.Equal(d.BackRoundingPercent, a.BackRoundingPercent, 4);
            Assert.Equal(d.UseRangePercent, a.UseRangePercent);
            Assert.Equal(d.ChinDropDeg, a.ChinDropDeg, 4);
            Assert.Equal(d.HeadUpDeg, a.HeadUpDeg, 4);
            Assert.Equal(d.HysteresisDeg, a.HysteresisDeg, 4);
            Assert.Equal(d.PersistenceS, a.PersistenceS, 4);
            Assert.Equal(d.GateOpenTorsoDeg, a.GateOpenTorsoDeg, 4);
            Assert.Equal(d.GateCloseTorsoDeg, a.GateCloseTorsoDeg, 4);
            Assert.Equal(d.AlwaysOn, a.AlwaysOn);
            Assert.Equal(d.ReminderIntervalS, a.ReminderIntervalS, 4);
            Assert.Equal(d.CooldownS, a.CooldownS, 4);
            Assert.Equal(BodyDimensions.DefaultHeightCm, _settings.Body.HeightCm);
            Assert.Equal(new BodyDimensions().UpperBackToHeadCm, _settings.Body.UpperBackToHeadCm, 4);
        }

        [Fact]
        public void The_default_record_on_the_wire_is_unchanged()
        {
            // docs/protocol.md's defaults, byte for byte: the contract (version 2: the depth cue on,
            // exercise hinge, depth target 90.0°, no tempo target).
            byte[] expected =
            {
                2, 8, 200, 0, 70, 150, 0, 100, 0, 40, 0, 200, 0, 44, 1, 200, 0, 30, 0, 10, 0, 80, 25, 25, 175,
                0, 132, 3, 0,
                11, (byte)'H', (byte)'i', (byte)'n', (byte)'g', (byte)'e', (byte)'S', (byte)'e', (byte)'n', (byte)'s', (byte)'o', (byte)'r',
            };
            var b = new byte[DeviceConfig.MaxEncodedLength];
            int n = new DeviceConfig().Encode(b, 0);
            Assert.Equal(expected, b[..n]);
        }

        [Fact]
        public void A_version_1_record_as_firmware_1_1_saved_it_still_loads_with_the_coaching_at_its_defaults()
        {
            byte[] v1 =
            {
                1, 0, 180, 0, 70, 150, 0, 100, 0, 40, 0, 200, 0, 44, 1, 200, 0, 30, 0, 10, 0, 80, 25, 25, 175,
                2, (byte)'H', (byte)'S',
            };
            var c = new DeviceConfig();
            Assert.Equal(ConfigField.None, DeviceConfig.Decode(v1, 0, v1.Length, c));
            Assert.Equal(180, c.BackRoundingTenthsDeg);
            Assert.Equal("HS", c.DeviceName);
            var d = new DeviceConfig();
            Assert.Equal((d.Exercise, d.DepthTargetTenthsDeg, d.DescentTargetTenthsS), (c.Exercise, c.DepthTargetTenthsDeg, c.DescentTargetTenthsS));
            Assert.NotEqual(0, c.Flags & DeviceConfig.FlagDepthCue);
            // The same bytes as version 2 are too short for it: refused, not read with the name as coaching.
            v1[0] = 2;
            Assert.Equal(ConfigField.Length, DeviceConfig.Decode(v1, 0, v1.Length, new DeviceConfig()));
        }

        [Fact]
        public void The_coaching_settings_reach_the_pipeline()
        {
            var c = new DeviceConfig { Exercise = 1, DepthTargetTenthsDeg = 750, DescentTargetTenthsS = 30 };
            c.Flags &= ~DeviceConfig.FlagDepthCue;
            var s = new HingeSensor.Algorithms.Pipeline.TrackerSettings();
            c.ApplyTo(s);
            Assert.Equal(HingeSensor.Algorithms.Coaching.Exercise.Squat, s.Coaching.Exercise);
            Assert.False(s.Coaching.DepthCue);
            Assert.False(s.Coaching.OwnDepth);
            c.Flags |= DeviceConfig.FlagOwnDepth;
            c.ApplyTo(s);
            Assert.True(s.Coaching.OwnDepth);
            Assert.Equal(ConfigField.None, c.Validate());
            Assert.Equal(ConfigField.Flags, new DeviceConfig { Flags = 32 }.Validate());
            Assert.Equal(75f, s.Coaching.DepthTargetDeg, 3);
            Assert.Equal(3f, s.Coaching.DescentTargetS, 3);
            Assert.Equal(ConfigField.Exercise, new DeviceConfig { Exercise = 3 }.Validate());
            Assert.Equal(ConfigField.DepthTargetDeg, new DeviceConfig { DepthTargetTenthsDeg = 299 }.Validate());
            Assert.Equal(ConfigField.DescentTargetS, new DeviceConfig { DescentTargetTenthsS = 101 }.Validate());
        }

        [Fact]
        public void A_written_config_is_in_force_saved_and_loaded_again_after_a_reboot()
        {
            Configuration c = Make();
            c.Load();
            var wanted = new DeviceConfig { ChinDropTenthsDeg = 180, LiveRateHz = 5, HapticIntensityPercent = 40, Flags = DeviceConfig.FlagQuiet };
            var record = new byte[DeviceConfig.MaxEncodedLength];
            int n = wanted.Encode(record, 0);

            Assert.Equal(ResultCode.Success, c.Write(record, 0, n, out ConfigField bad));
            Assert.Equal(ConfigField.None, bad);
            Assert.Equal(18f, _settings.Alignment.ChinDropDeg, 4);
            Assert.Equal(5, c.LiveEvery); // 25 reports a second, 5 live frames
            Assert.True(_haptics.Quiet);
            Assert.Equal(0.4f, _haptics.Intensity, 4);

            Configuration again = Make();
            again.Load();
            Assert.Equal(180, again.Current.ChinDropTenthsDeg);

            Assert.Equal(ResultCode.Success, again.Reset());
            Assert.Equal(new DeviceConfig().ChinDropTenthsDeg, again.Current.ChinDropTenthsDeg);
            Assert.False(_haptics.Quiet);
        }

        [Fact]
        public void A_config_with_a_wrong_field_is_refused_whole()
        {
            Configuration c = Make();
            c.Load();
            var record = new byte[DeviceConfig.MaxEncodedLength];
            int n = new DeviceConfig { ChinDropTenthsDeg = 180, GateCloseTenthsDeg = 400 }.Encode(record, 0); // closes above where it opens
            Assert.Equal(ResultCode.InvalidParameter, c.Write(record, 0, n, out ConfigField bad));
            Assert.Equal(ConfigField.GateCloseDeg, bad);
            Assert.Equal(new DeviceConfig().ChinDropTenthsDeg, c.Current.ChinDropTenthsDeg);
        }

        [Theory]
        [InlineData(100, 0.04f, 25)]
        [InlineData(50, 0.04f, 25)]
        [InlineData(200, 0.04f, 25)]
        [InlineData(20, 0.04f, 20)]   // samples slower than reports: every sample is one
        [InlineData(100, 0f, 100)]
        [InlineData(100, 0.02f, 50)]
        public void The_report_rate_comes_from_the_sample_rate_and_the_trackers_interval(int imuRateHz, float intervalS, int reportsPerSecond)
        {
            Assert.Equal(reportsPerSecond, Configuration.ReportRateHz(imuRateHz, intervalS));
        }

        [Fact]
        public void Stream_rates_become_reports_per_frame_at_the_rate_the_tracker_reports()
        {
            Assert.Equal(new[] { 1, 5, 25 }, new[] { 25, 5, 1 }.Select(Make(100).ReportsPer));
            Assert.Equal(new[] { 1, 4, 20 }, new[] { 25, 5, 1 }.Select(Make(20).ReportsPer)); // a 20 Hz sensor reports every sample
        }
    }
}
