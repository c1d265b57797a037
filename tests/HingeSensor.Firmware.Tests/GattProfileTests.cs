using System;
using System.IO;
using System.Linq;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.VirtualDevice;
using Xunit;
using static HingeSensor.Firmware.Tests.TestLink;

namespace HingeSensor.Firmware.Tests
{
    public class GattProfileTests
    {
        private static (VirtualRig Rig, TestLink Link) Connected(int mtu = 185, bool secure = true, double still = 120)
        {
            var rig = new VirtualRig(Scenarios.Still(still), 11);
            rig.Boot();
            var link = new TestLink(rig, mtu, secure);
            link.RunTo(1.0);
            return (rig, link);
        }

        [Fact]
        public void Identify_buzzes_on_a_paired_link()
        {
            var (rig, link) = Connected();
            Assert.Equal(ResultCode.Success, link.Request(Opcode.Identify).Result);
            Assert.Equal(HapticPattern.Identify, rig.Core.Haptics.Playing);
        }

        [Theory]
        [InlineData(Opcode.Identify, 0)]
        [InlineData(Opcode.SetTime, 8)]
        [InlineData(Opcode.CalibrateNeutral, 0)]
        [InlineData(Opcode.CalibrateHinge, 0)]
        [InlineData(Opcode.CalibrateRange, 0)]
        [InlineData(Opcode.StartRecording, 0)]
        [InlineData(Opcode.StopRecording, 0)]
        [InlineData(Opcode.ListSessions, 2)]
        [InlineData(Opcode.Download, 6)]
        [InlineData(Opcode.AbortDownload, 0)]
        [InlineData(Opcode.MarkDownloaded, 14)]
        [InlineData(Opcode.EraseSession, 15)]
        [InlineData(Opcode.ResetConfig, 0)]
        public void Every_operation_is_refused_on_an_unpaired_link(Opcode op, int parameterBytes)
        {
            var (rig, link) = Connected(secure: false);
            int started = rig.Core.Haptics.Started;
            Assert.Equal(ResultCode.InsufficientSecurity, link.Request(op, new byte[parameterBytes]).Result);
            Assert.False(rig.Core.Recorder.IsRecording);
            Assert.Equal(CalibrationStep.None, rig.Core.Tracker.Capturing);
            Assert.Equal(started, rig.Core.Haptics.Started); // not even Identify's buzz: a stranger cannot make the wearer's device buzz
        }

        [Fact]
        public void Write_config_is_protected_too()
        {
            var (_, link) = Connected(secure: false);
            var record = new byte[48];
            int n = new DeviceConfig().Encode(record, 0);
            Assert.Equal(ResultCode.InsufficientSecurity, link.Request(Opcode.WriteConfig, record[..n]).Result);
        }

        [Fact]
        public void Malformed_requests_get_their_reason()
        {
            var (rig, link) = Connected();
            Assert.Equal(ResultCode.UnknownOpcode, link.Request(0x7E, Array.Empty<byte>()).Result);
            Assert.Equal(ResultCode.InvalidLength, link.Request(Opcode.SetTime, new byte[3]).Result);
            Assert.Equal(ResultCode.InvalidLength, link.Request(Opcode.Identify, new byte[1]).Result);
            rig.Core.OnControlWrite(new byte[] { 0x01 }, 1); // too short to carry an id
            link.RunTo(rig.TimeS + 0.03);
            Assert.Equal(ResultCode.InvalidLength, link.Responses.Last().Result);
        }

        [Fact]
        public void A_flood_of_requests_is_answered_busy_beyond_the_queue()
        {
            var (rig, link) = Connected();
            for (int i = 0; i < 12; i++) rig.Core.OnControlWrite(new byte[] { (byte)Opcode.Identify, (byte)(100 + i) }, 2);
            link.RunTo(rig.TimeS + 0.05);
            Assert.Equal(8, link.Responses.Count(r => r.Result == ResultCode.Success));
            Assert.Equal(4, link.Responses.Count(r => r.Result == ResultCode.Busy));
        }

        [Fact]
        public void Set_time_stamps_the_next_session()
        {
            var (rig, link) = Connected();
            long now = 1_764_072_000_000;
            // A clock that cannot be today is refused and changes nothing.
            Assert.Equal(ResultCode.InvalidParameter, link.Request(Opcode.SetTime, I64(0)).Result);
            Assert.Equal(ResultCode.InvalidParameter, link.Request(Opcode.SetTime, I64(-now)).Result);
            Assert.True((rig.Core.BuildStatus().Flags & DeviceStatus.FlagTimeSet) == 0);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.SetTime, I64(now)).Result);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            Assert.InRange(rig.Core.Recorder.Session!.StartUnixMs, now, now + 100);
            Assert.True((rig.Core.BuildStatus().Flags & DeviceStatus.FlagTimeSet) != 0);
        }

        [Fact]
        public void Calibration_requests_are_accepted_and_report_when_done()
        {
            var (rig, link) = Connected();
            Assert.Equal(ResultCode.NotCalibrated, link.Request(Opcode.CalibrateRange).Result);
            Assert.Equal(ResultCode.Accepted, link.Request(Opcode.CalibrateNeutral).Result);
            Assert.Equal(CalibrationStep.Neutral, rig.Core.Tracker.Capturing);
            // One capture at a time: the running one is not replaced (its host waits for its result).
            Assert.Equal(ResultCode.Busy, link.Request(Opcode.CalibrateHinge).Result);
            Assert.Equal(CalibrationStep.Neutral, rig.Core.Tracker.Capturing);
            link.RunTo(rig.TimeS + 3.2);
            var done = link.Events.Single(e => e.Kind == DeviceEvent.CalibrationDone);
            Assert.Equal((byte)CalibrationStep.Neutral, done.Payload[0]);
            Assert.Equal((byte)CalibrationStatus.Ok, done.Payload[1]);
            Assert.All(new[] { 3, 4, 5 }, i => Assert.True(done.Payload[i] > 100, "quality"));
            // Standing still is no hinge: the capture times out and says why.
            Assert.Equal(ResultCode.Accepted, link.Request(Opcode.CalibrateHinge).Result);
            link.RunTo(rig.TimeS + 15.5);
            var hinge = link.Events.Last(e => e.Kind == DeviceEvent.CalibrationDone);
            Assert.Equal((byte)CalibrationStatus.HingeTooShallow, hinge.Payload[1]);
            Assert.True(rig.Motor.Pulses().Count >= 4);
        }

        [Fact]
        public void Recording_start_stop_list_download_mark_and_erase_with_their_errors()
        {
            var (rig, link) = Connected(mtu: 247);
            Assert.Equal(ResultCode.InvalidState, link.Request(Opcode.StopRecording).Result);
            var start = link.Request(Opcode.StartRecording);
            Assert.Equal(ResultCode.Success, start.Result);
            int id = start.Payload[0] | (start.Payload[1] << 8);
            Assert.Equal(ResultCode.InvalidState, link.Request(Opcode.StartRecording).Result);
            link.RunTo(rig.TimeS + 20);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StopRecording).Result);
            Assert.Contains(link.Events, e => e.Kind == DeviceEvent.RecordingStopped && e.Payload[2] == 2);

            var list = link.Request(Opcode.ListSessions, U16(0));
            Assert.Equal(ResultCode.Success, list.Result);
            var r = new ByteReader(list.Payload);
            Assert.Equal(1, r.U16());
            Assert.Equal(0, r.U16());
            Assert.Equal(1, r.U8());
            SessionEntry entry = SessionEntry.Read(ref r);
            Assert.Equal(id, entry.Id);
            Assert.True((entry.Flags & SessionEntry.FlagClosed) != 0);
            Assert.InRange(entry.DurationS, 19, 21);

            Assert.Equal(ResultCode.NotFound, link.Request(Opcode.Download, U16(99).Concat(U32(0)).ToArray()).Result);
            Assert.Equal(ResultCode.InvalidParameter, link.Request(Opcode.Download, U16(id).Concat(U32((uint)entry.Length + 1)).ToArray()).Result);
            Assert.Equal(ResultCode.Accepted, link.Request(Opcode.Download, U16(id).Concat(U32(0)).ToArray()).Result);
            link.RunTo(rig.TimeS + 1);
            var bytes = new MemoryStream();
            foreach (byte[] p in link.SessionData)
            {
                Assert.Equal(id, p[0] | (p[1] << 8));
                Assert.Equal(bytes.Length, BitConverter.ToInt32(p, 2));
                bytes.Write(p, 6, p.Length - 6);
            }
            var doneEvt = link.Events.Single(e => e.Kind == DeviceEvent.DownloadDone);
            var d = new ByteReader(doneEvt.Payload);
            Assert.Equal(id, d.U16());
            Assert.Equal(entry.Length, d.I32());
            byte[] tag = new byte[SessionFormat.DigestTagBytes];
            for (int i = 0; i < tag.Length; i++) tag[i] = (byte)d.U8();
            Assert.True(d.Ok);
            Assert.Equal(entry.Length, bytes.Length);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(bytes.ToArray()).AsSpan(0, tag.Length).ToArray(), tag);
            Assert.Equal(link.StoredTag(id), tag);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.AbortDownload).Result);

            byte[] wrong = (byte[])tag.Clone();
            wrong[0] ^= 1;
            Assert.Equal(ResultCode.NotDownloaded, link.Request(Opcode.EraseSession, EraseParams(id, false, tag)).Result);
            Assert.Equal(ResultCode.DigestMismatch, link.Request(Opcode.MarkDownloaded, MarkParams(id, wrong)).Result);
            Assert.Equal(ResultCode.NotFound, link.Request(Opcode.MarkDownloaded, MarkParams(99, tag)).Result);
            // A disagreement makes the device hash its file again (once): until then it cannot say.
            Assert.Equal(ResultCode.InvalidState, link.Request(Opcode.MarkDownloaded, MarkParams(id, tag)).Result);
            while (rig.Core.Sessions.Find(id)!.DigestState == Nano.Core.Storage.SessionInfo.DigestPending) link.RunTo(rig.TimeS + 0.1);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.MarkDownloaded, MarkParams(id, tag)).Result);
            Assert.Equal(ResultCode.DigestMismatch, link.Request(Opcode.EraseSession, EraseParams(id, false, wrong)).Result);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.EraseSession, EraseParams(id, false, tag)).Result);
            Assert.Equal(ResultCode.NotFound, link.Request(Opcode.EraseSession, EraseParams(id, true)).Result);
        }

        [Fact]
        public void A_download_resumes_from_any_offset()
        {
            var (rig, link) = Connected(mtu: 100);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            link.RunTo(rig.TimeS + 10);
            link.Request(Opcode.StopRecording);
            int length = rig.Core.Sessions.At(0).Length;
            int resumeAt = length / 3;
            link.Request(Opcode.Download, U16(1).Concat(U32((uint)resumeAt)).ToArray());
            link.RunTo(rig.TimeS + 1);
            Assert.Equal(resumeAt, BitConverter.ToInt32(link.SessionData[0], 2));
            Assert.Equal(length - resumeAt, link.SessionData.Sum(p => p.Length - 6));
            Assert.All(link.SessionData, p => Assert.True(p.Length <= 97));
        }

        [Fact]
        public void Config_writes_are_validated_field_by_field_and_persist()
        {
            var (rig, link) = Connected();
            var record = new byte[48];
            var bad = new DeviceConfig { GateOpenTenthsDeg = 200, GateCloseTenthsDeg = 250 };
            int n = bad.Encode(record, 0);
            var refused = link.Request(Opcode.WriteConfig, record[..n]);
            Assert.Equal(ResultCode.InvalidParameter, refused.Result);
            Assert.Equal((byte)ConfigField.GateCloseDeg, refused.Payload[0]);
            Assert.Equal(ResultCode.InvalidLength, link.Request(Opcode.WriteConfig, record[..10]).Result);

            var good = new DeviceConfig { ChinDropTenthsDeg = 180, Flags = DeviceConfig.FlagQuiet, DeviceName = "Lifter 2" };
            n = good.Encode(record, 0);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.WriteConfig, record[..n]).Result);
            Assert.Equal(18f, rig.Core.Tracker.Settings.Alignment.ChinDropDeg, 3);
            Assert.True(rig.Core.Haptics.Quiet);
            var read = new byte[64];
            int len = rig.Core.Read(Nano.Core.Ble.GattCharacteristic.Config, read);
            var echoed = new DeviceConfig();
            Assert.Equal(ConfigField.None, DeviceConfig.Decode(read, 0, len, echoed));
            Assert.Equal("Lifter 2", echoed.DeviceName);
            Assert.NotEmpty(link.Config);

            rig.Reboot();
            Assert.Equal(180, rig.Core.Config.ChinDropTenthsDeg);
            var link2 = new TestLink(rig);
            Assert.Equal(ResultCode.Success, link2.Request(Opcode.ResetConfig).Result);
            Assert.Equal(150, rig.Core.Config.ChinDropTenthsDeg);
        }

        [Theory]
        [InlineData(51)]
        [InlineData(52)]
        public void Config_writes_longer_than_the_longest_record_are_refused_as_invalid_length(int bytes)
        {
            var (rig, link) = Connected();
            var record = new byte[bytes];
            int n = new DeviceConfig { DeviceName = new string('N', DeviceConfig.MaxNameBytes) }.Encode(record, 0);
            Assert.Equal(50, n);
            var refused = link.Request(Opcode.WriteConfig, record);
            Assert.Equal(ResultCode.InvalidLength, refused.Result);
            Assert.Empty(refused.Payload);
            Assert.Equal("HingeSensor", rig.Core.Config.DeviceName);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.WriteConfig, record[..n]).Result);
        }

        [Fact]
        public void At_MTU_23_a_status_notification_is_the_essential_fields_only()
        {
            var (rig, link) = Connected(mtu: 23);
            rig.Core.OnSubscribe(Nano.Core.Ble.GattCharacteristic.Status, true);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            link.RunTo(rig.TimeS + 1.5);
            byte[] status = link.Status.Last();
            Assert.Equal(19, status.Length);
            var s = new DeviceStatus();
            Assert.True(s.Decode(status, 0, status.Length));
            Assert.Equal(RecordingState.Recording, s.Recording);
            Assert.Equal(1, s.SessionId);
        }

        [Fact]
        public void The_status_is_notified_on_changes_a_person_cares_about_not_on_storage_growing()
        {
            var (rig, link) = Connected();
            rig.Core.OnSubscribe(Nano.Core.Ble.GattCharacteristic.Status, true);
            link.RunTo(rig.TimeS + 1.5);
            Assert.Single(link.Status); // once, on subscribing

            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            link.RunTo(rig.TimeS + 6);
            Assert.Equal(2, link.Status.Count); // recording started; six seconds of flushes say nothing
            var s = new DeviceStatus();
            Assert.True(s.Decode(link.Status[1], 0, link.Status[1].Length));
            Assert.Equal(RecordingState.Recording, s.Recording);
            Assert.True(rig.Core.BuildStatus().StorageUsedKb >= s.StorageUsedKb);

            Assert.Equal(ResultCode.Success, link.Request(Opcode.StopRecording).Result);
            link.RunTo(rig.TimeS + 1.5);
            Assert.Equal(3, link.Status.Count);
            Assert.True(s.Decode(link.Status[2], 0, link.Status[2].Length));
            Assert.Equal(RecordingState.Idle, s.Recording);
            Assert.Equal(1, s.UndownloadedSessions);
        }

        [Fact]
        public void A_corrupt_stored_config_shows_in_the_status()
        {
            var (rig, _) = Connected();
            byte[] garbage = { (byte)'H', (byte)'C', 30, 1, 2, 3, 4, 5 };
            rig.Flash.Write("/hinge/config.bin", garbage, 0, garbage.Length);
            rig.Reboot();
            rig.Core.OnConnected(185);
            rig.Core.OnSecurityChanged(true); // the bonded host, back after the reboot
            DeviceStatus s = rig.Core.BuildStatus();
            Assert.True((s.Flags & DeviceStatus.FlagConfigReset) != 0);
            var bytes = new byte[64];
            int n = rig.Core.Read(Nano.Core.Ble.GattCharacteristic.Status, bytes);
            var decoded = new DeviceStatus();
            Assert.True(decoded.Decode(bytes, 0, n));
            Assert.True((decoded.Flags & DeviceStatus.FlagConfigReset) != 0);
        }

        [Theory]
        [InlineData(23)]
        [InlineData(185)]
        [InlineData(247)]
        public void No_notification_ever_exceeds_mtu_minus_3(int mtu)
        {
            var rig = new VirtualRig(Scenarios.Workout(), 21);
            rig.Boot();
            var link = new TestLink(rig, mtu);
            rig.Core.OnSubscribe(Nano.Core.Ble.GattCharacteristic.Live, true);
            rig.Core.OnSubscribe(Nano.Core.Ble.GattCharacteristic.Status, true);
            link.RunTo(0.5);
            link.Request(Opcode.CalibrateNeutral);
            link.RunTo(4.0);
            link.Request(Opcode.CalibrateHinge);
            link.RunTo(11.0);
            link.Request(Opcode.StartRecording);
            link.RunTo(30.0);
            link.Request(Opcode.StopRecording);
            link.Request(Opcode.ListSessions, U16(0));
            link.Request(Opcode.Download, U16(1).Concat(U32(0)).ToArray());
            link.RunTo(35.0);
            Assert.True(link.LargestNotification <= mtu - 3, $"a {link.LargestNotification}-byte notification at MTU {mtu}");
            Assert.NotEmpty(link.Live);
            Assert.NotEmpty(link.SessionData);
            Assert.Contains(link.Events, e => e.Kind == DeviceEvent.DownloadDone);
            Assert.Contains(link.Events, e => e.Kind == DeviceEvent.Alignment);
            // Live frames keep their rate at every MTU: the default live rate, over the 34 s.
            var frames = new LiveFrame[LivePacket.MaxFramesPerPacket];
            int count = link.Live.Sum(p => LivePacket.Read(p, 0, p.Length, frames));
            int hz = new DeviceConfig().LiveRateHz;
            Assert.InRange(count, hz * 33, hz * 35);
        }
    }
}
