using System;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.VirtualDevice.Models;
using Xunit;
using Xunit.Abstractions;
using static HingeSensor.Firmware.Tests.StoreKit;

namespace HingeSensor.Firmware.Tests.Campaigns
{
    /// <summary>
    /// Every single-bit flip of every record the device keeps on flash — config, calibration, next
    /// id, a session's digest record — each made by our own encoder. Goal: none accepted silently;
    /// each refused and reported (status flags), with a safe fallback.
    /// </summary>
    public class RecordFlipCampaign
    {
        private readonly ITestOutputHelper _out;

        public RecordFlipCampaign(ITestOutputHelper output) => _out = output;

        /// <summary>Flips every bit of the file at <paramref name="path"/> in turn; counts the flips <paramref name="refused"/> does not report.</summary>
        private static (int Flips, int Silent) EveryBit(FlashModel flash, string path, Func<bool> refused)
        {
            byte[] good = flash.Contents(path);
            int flips = 0, silent = 0;
            for (int bit = 0; bit < good.Length * 8; bit++)
            {
                byte[] bad = (byte[])good.Clone();
                bad[bit / 8] ^= (byte)(1 << (bit % 8));
                flash.Write(path, bad, 0, bad.Length);
                flips++;
                if (!refused()) silent++;
            }
            flash.Write(path, good, 0, good.Length);
            return (flips, silent);
        }

        [Fact]
        public void No_single_bit_flip_of_a_stored_record_is_accepted_silently()
        {
            var flash = new FlashModel();
            Assert.True(new ConfigStore(flash, Dir).Save(new DeviceConfig { ChinDropTenthsDeg = 180, DeviceName = "Coach B", RecordRateHz = 10 }));
            var config = EveryBit(flash, Dir + "config.bin", () =>
            {
                var cs = new ConfigStore(flash, Dir);
                cs.Load(new DeviceConfig());
                return cs.WasReset;
            });

            var cal = new BodyCalibration { HasRange = true, RangeTrunkFlexionDeg = 64f };
            foreach (SegmentCalibration c in cal.Segments)
            {
                c.HasNeutral = c.HasHinge = true;
                c.SegmentToSensor = Quaternion.FromAxisAngle(new Vector3(0.2f, 1f, 0.1f).Normalized(), 0.6f);
                c.NeutralUp = c.SegmentToSensor.Rotate(Vector3.UnitZ);
                c.NeutralSpreadDeg = 0.8f;
                c.HingePlanarity = 0.93f;
                c.HingeAxisTiltDeg = 4f;
            }
            Assert.True(new CalibrationStore(flash, Dir).Save(cal));
            var calibration = EveryBit(flash, Dir + "calib.bin", () =>
            {
                var store = new CalibrationStore(flash, Dir);
                var into = new BodyCalibration();
                return !store.Load(into) && store.Refused && !into.Segments[0].HasNeutral;
            });

            SessionStore sessions = Recovered(flash);
            var recorder = new SessionRecorder(sessions, flash);
            StorageTests.RecordMinute(recorder, new Random(1), 5);
            StorageTests.RecordMinute(recorder, new Random(2), 5);
            Assert.Equal(ResultCode.Success, Mark(flash, sessions, 1));
            var nextId = EveryBit(flash, Dir + "next.id", () =>
            {
                SessionStore s = Recovered(flash);
                return s.RecordRefused;
            });
            var digest = EveryBit(flash, Dir + "S00001.dg", () =>
            {
                SessionStore s = Recovered(flash);
                return s.RecordRefused && !s.Find(1)!.Downloaded && s.Find(1)!.DigestState == SessionInfo.DigestPending;
            });

            _out.WriteLine($"record flips: config {config.Flips} flips, {config.Silent} accepted silently; calibration {calibration.Flips}, {calibration.Silent}; " +
                           $"next id {nextId.Flips}, {nextId.Silent}; digest record {digest.Flips}, {digest.Silent}");
            Assert.Equal(0, config.Silent);
            Assert.Equal(0, calibration.Silent);
            Assert.Equal(0, nextId.Silent);
            Assert.Equal(0, digest.Silent);
        }
    }
}
