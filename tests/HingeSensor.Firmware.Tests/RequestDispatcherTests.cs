using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice.Models;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>
    /// The control point's requests run by RequestDispatcher alone: the parts it calls are fakes
    /// behind their interfaces (recording, sessions, downloads, config, the host's view), the
    /// answers are read from the notification queue as the BLE glue would send them.
    /// </summary>
    public class RequestDispatcherTests
    {
        private sealed class FakeRecording : IRecordingControl
        {
            public ResultCode StartResult = ResultCode.Success;
            public bool Running;
            public int Id = 7;
            public ResultCode Start() { if (StartResult == ResultCode.Success) Running = true; return StartResult; }
            public bool Stop() { bool was = Running; Running = false; return was; }
            public int SessionId => Running ? Id : 0;
        }

        private sealed class FakeSessions : ISessionCatalog
        {
            public readonly List<SessionInfo> Sessions = new();
            public readonly List<string> Calls = new();
            public int Count => Sessions.Count;
            public SessionInfo At(int i) => Sessions[i];
            public ResultCode MarkDownloaded(int id, byte[] tag, int offset) { Calls.Add($"mark {id}"); return ResultCode.Success; }
            public ResultCode Erase(int id, bool force, byte[] tag, int offset) { Calls.Add($"erase {id} {force}"); return ResultCode.Success; }
        }

        private sealed class FakeDownloads : IDownloads
        {
            public int SessionId { get; set; }
            public ResultCode Start(int id, int offset) { SessionId = id; return ResultCode.Accepted; }
            public void Abort() { SessionId = 0; }
        }

        private sealed class FakeConfiguration : IConfiguration
        {
            public ConfigField Bad = ConfigField.None;
            public bool SaveFails;
            public int Writes, Resets;

            public ResultCode Write(byte[] record, int offset, int count, out ConfigField bad)
            {
                bad = Bad;
                if (bad != ConfigField.None) return ResultCode.InvalidParameter;
                Writes++;
                return SaveFails ? ResultCode.InternalError : ResultCode.Success;
            }

            public ResultCode Reset() { Resets++; return SaveFails ? ResultCode.InternalError : ResultCode.Success; }
        }

        /// <summary>Logs each call with the number of notifications queued at that moment (what the host had been told so far).</summary>
        private sealed class FakeView : IHostView
        {
            private readonly NotificationQueue _queue;
            public readonly List<string> Calls = new();
            public FakeView(NotificationQueue queue) { _queue = queue; }
            public void Refresh() => Calls.Add($"refresh@{_queue.Count}");
            public void NotifyStatusIfChanged() => Calls.Add($"status@{_queue.Count}");
            public void NotifyConfig() => Calls.Add($"config@{_queue.Count}");
        }

        private readonly NotificationQueue _queue = new(16) { LinkSecure = true };
        private readonly ControlPoint _control;
        private readonly LinkState _link;
        private readonly DeviceClock _clock = new();
        private readonly PostureTracker _tracker = new(new TrackerSettings());
        private readonly MotorLog _motor = new();
        private readonly HapticEngine _haptics;
        private readonly FakeRecording _recording = new();
        private readonly FakeSessions _sessions = new();
        private readonly FakeDownloads _downloads = new();
        private readonly FakeConfiguration _configuration = new();
        private readonly FakeView _view;
        private readonly RequestDispatcher _dispatcher;
        private int _nextId = 1;

        public RequestDispatcherTests()
        {
            _control = new ControlPoint(_queue);
            _link = new LinkState(_queue, _control);
            _haptics = new HapticEngine(_motor);
            _view = new FakeView(_queue);
            _dispatcher = new RequestDispatcher(_link, _control, _clock, _tracker, _haptics, _recording, _sessions, _downloads, _configuration, _view);
        }

        private sealed record Answer(int Opcode, int Id, ResultCode Result, byte[] Payload);

        /// <summary>Writes a request as a secure host would, runs the loop's request step, and returns every answer queued.</summary>
        private List<Answer> Run(Opcode opcode, params byte[] parameters)
        {
            byte[] request = new byte[] { (byte)opcode, (byte)_nextId++ }.Concat(parameters).ToArray();
            _control.OnWrite(request, request.Length, secure: true);
            Assert.True(_dispatcher.RunWaiting());
            var answers = new List<Answer>();
            var b = new byte[NotificationQueue.MaxPayload];
            while (_queue.TryDequeue(b, out GattCharacteristic target, out int length))
            {
                Assert.Equal(GattCharacteristic.Control, target);
                if (b[0] == (byte)ControlMessage.Response) answers.Add(new Answer(b[1], b[2], (ResultCode)b[3], b[4..length]));
            }
            return answers;
        }

        private Answer RunOne(Opcode opcode, params byte[] parameters) => Assert.Single(Run(opcode, parameters));

        [Fact]
        public void Nothing_waiting_is_nothing_run()
        {
            Assert.False(_dispatcher.RunWaiting());
            Assert.Empty(_view.Calls);
        }

        [Fact]
        public void StartRecording_answers_with_the_new_sessions_id_and_a_second_start_with_the_recordings_refusal()
        {
            Answer a = RunOne(Opcode.StartRecording);
            Assert.Equal((int)Opcode.StartRecording, a.Opcode);
            Assert.Equal(ResultCode.Success, a.Result);
            Assert.Equal(new byte[] { 7, 0 }, a.Payload);

            _recording.StartResult = ResultCode.StorageFull;
            _recording.Running = false;
            Answer full = RunOne(Opcode.StartRecording);
            Assert.Equal(ResultCode.StorageFull, full.Result);
            Assert.Empty(full.Payload);
        }

        [Fact]
        public void StopRecording_without_a_recording_is_InvalidState()
        {
            Assert.Equal(ResultCode.InvalidState, RunOne(Opcode.StopRecording).Result);
            _recording.Running = true;
            Assert.Equal(ResultCode.Success, RunOne(Opcode.StopRecording).Result);
            Assert.False(_recording.Running);
        }

        [Fact]
        public void A_config_the_device_refuses_is_answered_with_the_wrong_field_and_changes_nothing_the_host_sees()
        {
            _configuration.Bad = ConfigField.ChinDropDeg;
            Answer a = RunOne(Opcode.WriteConfig, new byte[DeviceConfig.MinEncodedLength]);
            Assert.Equal(ResultCode.InvalidParameter, a.Result);
            Assert.Equal(new[] { (byte)ConfigField.ChinDropDeg }, a.Payload);
            Assert.Empty(_view.Calls);
        }

        [Theory]
        [InlineData(false, ResultCode.Success)]
        [InlineData(true, ResultCode.InternalError)]
        public void A_written_config_is_in_the_snapshot_before_its_answer_and_notified_after_it(bool saveFails, ResultCode expected)
        {
            _configuration.SaveFails = saveFails;
            Assert.Equal(expected, RunOne(Opcode.WriteConfig, new byte[DeviceConfig.MinEncodedLength]).Result);
            Assert.Equal(new[] { "refresh@0", "config@1" }, _view.Calls);
            Assert.Equal(1, _configuration.Writes);

            _view.Calls.Clear();
            Assert.Equal(expected, RunOne(Opcode.ResetConfig).Result);
            Assert.Equal(new[] { "refresh@0", "config@1" }, _view.Calls);
            Assert.Equal(1, _configuration.Resets);
        }

        [Fact]
        public void The_session_being_downloaded_cannot_be_erased_but_another_can()
        {
            Assert.Equal(ResultCode.Accepted, RunOne(Opcode.Download, 3, 0, 0, 0, 0, 0).Result);
            Assert.Equal(3, _downloads.SessionId);
            byte[] tag = new byte[SessionFormat.DigestTagBytes];

            Assert.Equal(ResultCode.InvalidState, RunOne(Opcode.EraseSession, new byte[] { 3, 0, 1 }.Concat(tag).ToArray()).Result);
            Assert.Empty(_sessions.Calls);
            Assert.Equal(ResultCode.Success, RunOne(Opcode.EraseSession, new byte[] { 4, 0, 1 }.Concat(tag).ToArray()).Result);
            Assert.Equal(new[] { "erase 4 True" }, _sessions.Calls);
            Assert.Equal(new[] { "status@1", "status@1" }, _view.Calls); // the status follows the answer either way

            Assert.Equal(ResultCode.Success, RunOne(Opcode.AbortDownload).Result);
            Assert.Equal(0, _downloads.SessionId);
        }

        [Theory]
        [InlineData(185, false)]
        [InlineData(23, true)]
        public void ListSessions_sends_as_many_entries_as_the_MTU_holds_compact_below_39(int mtu, bool compact)
        {
            for (int i = 1; i <= 12; i++) _sessions.Sessions.Add(new SessionInfo { Id = i, Length = 1000 * i });
            _link.OnConnected(mtu);
            _link.TakeEvents();
            _queue.LinkSecure = true; // as the pairing window would say of a bonded host

            Answer a = RunOne(Opcode.ListSessions, 2, 0);
            Assert.Equal(ResultCode.Success, a.Result);
            Assert.True(ControlPoint.AnswerPayload + a.Payload.Length <= mtu - GattIds.AttNotifyOverhead, "the answer fits one notification");
            var r = new ByteReader(a.Payload);
            Assert.Equal(12, r.U16());
            Assert.Equal(2, r.U16());
            int n = r.U8();
            Assert.Equal(compact, (n & 0x80) != 0);
            n &= 0x7F;
            int room = (mtu - GattIds.AttNotifyOverhead - 4 - 5) / (compact ? SessionEntry.CompactLength : SessionEntry.EncodedLength);
            Assert.Equal(Math.Min(8, room), n);
            for (int i = 0; i < n; i++)
            {
                SessionEntry e = compact ? SessionEntry.ReadCompact(ref r) : SessionEntry.Read(ref r);
                Assert.Equal(3 + i, e.Id);
                Assert.Equal(1000 * (3 + i), e.Length);
            }
        }

        [Fact]
        public void SetTime_outside_2020_to_2100_is_refused_and_leaves_the_clock_unset()
        {
            Assert.Equal(ResultCode.InvalidParameter, RunOne(Opcode.SetTime, BitConverter.GetBytes(1000L)).Result);
            Assert.False(_clock.TimeSet);
            long now = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            Assert.Equal(ResultCode.Success, RunOne(Opcode.SetTime, BitConverter.GetBytes(now)).Result);
            Assert.Equal(now, _clock.UnixMs);
        }

        [Fact]
        public void One_capture_at_a_time_and_no_range_before_the_hinge()
        {
            Assert.Equal(ResultCode.NotCalibrated, RunOne(Opcode.CalibrateRange).Result);
            Assert.Equal(ResultCode.Accepted, RunOne(Opcode.CalibrateNeutral).Result);
            Assert.Equal(CalibrationStep.Neutral, _tracker.Capturing);
            Assert.Equal(ResultCode.Busy, RunOne(Opcode.CalibrateHinge).Result);
        }

        [Fact]
        public void Identify_buzzes_and_an_unknown_opcode_never_reaches_the_loop()
        {
            Assert.Equal(ResultCode.Success, RunOne(Opcode.Identify).Result);
            Assert.Equal(HapticPattern.Identify, _haptics.Playing);

            _control.OnWrite(new byte[] { 0x7E, 9 }, 2, secure: true); // refused on the BLE thread, answered at once
            Assert.False(_dispatcher.RunWaiting());
        }

        [Fact]
        public void A_request_written_after_a_connect_waits_for_the_pass_that_takes_the_connect_in()
        {
            _link.OnConnected(185);
            _control.OnWrite(new byte[] { (byte)Opcode.Identify, 1 }, 2, secure: true);
            Assert.False(_dispatcher.RunWaiting());
            Assert.NotEqual(0, _link.TakeEvents() & LinkState.Started);
            Assert.True(_dispatcher.RunWaiting());
        }
    }
}
