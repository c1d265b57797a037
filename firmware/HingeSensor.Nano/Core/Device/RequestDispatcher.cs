using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// Runs the control point's queued requests on the main loop (docs/protocol.md: opcodes,
    /// parameters, results): each is decoded here, done by the part it concerns, and answered.
    /// The BLE thread has already checked security and length (<see cref="ControlPoint.OnWrite"/>).
    /// </summary>
    public sealed class RequestDispatcher
    {
        private readonly LinkState _link;
        private readonly ControlPoint _control;
        private readonly DeviceClock _clock;
        private readonly PostureTracker _tracker;
        private readonly HapticEngine _haptics;
        private readonly IRecordingControl _recording;
        private readonly ISessionCatalog _sessions;
        private readonly IDownloads _downloads;
        private readonly IConfiguration _configuration;
        private readonly IHostView _view;
        private readonly byte[] _request = new byte[ControlPoint.MaxRequest];
        // Reused for every request (a new one would be an allocation on the device). Answers with
        // a payload are written straight into their notification (ControlPoint.BeginAnswer).
        private readonly ByteReader _reader = new ByteReader();
        private readonly ByteWriter _writer = new ByteWriter();

        public RequestDispatcher(LinkState link, ControlPoint control, DeviceClock clock, PostureTracker tracker, HapticEngine haptics,
            IRecordingControl recording, ISessionCatalog sessions, IDownloads downloads, IConfiguration configuration, IHostView view)
        {
            _link = link;
            _control = control;
            _clock = clock;
            _tracker = tracker;
            _haptics = haptics;
            _recording = recording;
            _sessions = sessions;
            _downloads = downloads;
            _configuration = configuration;
            _view = view;
        }

        /// <summary>Runs every request waiting (main loop, every pass); true when one ran.</summary>
        public bool RunWaiting()
        {
            bool ran = false;
            while (_link.TakeRequest(_request, out int length))
            {
                Execute(_request, length);
                ran = true;
            }
            return ran;
        }

        /// <summary>Runs one request [opcode][id][parameters] and answers it.</summary>
        public void Execute(byte[] q, int length)
        {
            int opcode = q[0], id = q[1];
            ByteReader r = _reader;
            r.Reset(q, 2, length - 2);
            switch ((Opcode)opcode)
            {
                case Opcode.Identify:
                    _haptics.Play(HapticPattern.Identify, _clock.NowUs);
                    _control.Respond(opcode, id, ResultCode.Success);
                    return;
                case Opcode.SetTime:
                    _control.Respond(opcode, id, _clock.SetTime(r.I64()) ? ResultCode.Success : ResultCode.InvalidParameter);
                    return;
                case Opcode.CalibrateNeutral:
                    Calibrate(opcode, id, CalibrationStep.Neutral, _tracker.Settings.NeutralCaptureS);
                    return;
                case Opcode.CalibrateHinge:
                    Calibrate(opcode, id, CalibrationStep.Hinge, _tracker.Settings.MovementCaptureTimeoutS);
                    return;
                case Opcode.CalibrateRange:
                    Calibrate(opcode, id, CalibrationStep.Range, _tracker.Settings.MovementCaptureTimeoutS);
                    return;
                case Opcode.StartRecording:
                    StartRecording(opcode, id);
                    return;
                case Opcode.StopRecording:
                    _control.Respond(opcode, id, _recording.Stop() ? ResultCode.Success : ResultCode.InvalidState);
                    return;
                case Opcode.ListSessions:
                    ListSessions(opcode, id, r.U16());
                    return;
                case Opcode.Download:
                    {
                        int session = r.U16();
                        int offset = r.I32();
                        _control.Respond(opcode, id, _downloads.Start(session, offset));
                        return;
                    }
                case Opcode.AbortDownload:
                    _downloads.Abort();
                    _control.Respond(opcode, id, ResultCode.Success);
                    return;
                case Opcode.MarkDownloaded:
                    {
                        int session = r.U16();
                        _control.Respond(opcode, id, _sessions.MarkDownloaded(session, q, r.Position)); // the digest tag follows
                        _view.NotifyStatusIfChanged();
                        return;
                    }
                case Opcode.EraseSession:
                    {
                        int session = r.U16();
                        bool force = r.U8() != 0;
                        // Not while it is being sent: finish or abort the download first.
                        ResultCode erased = _downloads.SessionId == session ? ResultCode.InvalidState : _sessions.Erase(session, force, q, r.Position);
                        _control.Respond(opcode, id, erased);
                        _view.NotifyStatusIfChanged();
                        return;
                    }
                case Opcode.WriteConfig:
                    {
                        ConfigField bad;
                        ResultCode written = _configuration.Write(q, 2, length - 2, out bad);
                        if (written == ResultCode.InvalidParameter)
                        {
                            byte[]? b = _control.BeginAnswer(opcode, id, written);
                            if (b == null) return;
                            b[ControlPoint.AnswerPayload] = (byte)bad; // which field
                            _control.CommitAnswer(1);
                            return;
                        }
                        ConfigChanged(opcode, id, written);
                        return;
                    }
                case Opcode.ResetConfig:
                    ConfigChanged(opcode, id, _configuration.Reset());
                    return;
                default:
                    _control.Respond(opcode, id, ResultCode.UnknownOpcode);
                    return;
            }
        }

        // The host reads the config right after it is answered: the snapshot comes first.
        private void ConfigChanged(int opcode, int id, ResultCode result)
        {
            _view.Refresh();
            _control.Respond(opcode, id, result);
            _view.NotifyConfig();
        }

        private void Calibrate(int opcode, int id, CalibrationStep step, float durationS)
        {
            // One capture at a time: a second request would silently replace the first, whose
            // host would then wait for a CalibrationDone that never comes.
            if (_tracker.Capturing != CalibrationStep.None)
            {
                _control.Respond(opcode, id, ResultCode.Busy);
                return;
            }
            if (step == CalibrationStep.Range && !_tracker.Calibration.IsComplete)
            {
                _control.Respond(opcode, id, ResultCode.NotCalibrated);
                return;
            }
            _tracker.BeginCalibration(step, durationS);
            _control.Respond(opcode, id, ResultCode.Accepted);
        }

        private void StartRecording(int opcode, int id)
        {
            ResultCode result = _recording.Start();
            if (result != ResultCode.Success)
            {
                _control.Respond(opcode, id, result);
                return;
            }
            byte[]? b = _control.BeginAnswer(opcode, id, ResultCode.Success);
            if (b == null) return;
            int session = _recording.SessionId;
            b[ControlPoint.AnswerPayload] = (byte)session;
            b[ControlPoint.AnswerPayload + 1] = (byte)(session >> 8);
            _control.CommitAnswer(2);
        }

        private void ListSessions(int opcode, int id, int from)
        {
            // [total u16][first u16][n u8][entries]: as many entries as one notification holds.
            // Below MTU 39 not even one full entry fits, so entries go compact (id, length,
            // flags: 7 bytes) and bit 7 of n says so.
            int payload = _link.Mtu - GattIds.AttNotifyOverhead - 4 - 5;
            bool compact = payload < SessionEntry.EncodedLength;
            int room = payload / (compact ? SessionEntry.CompactLength : SessionEntry.EncodedLength);
            if (room > 8) room = 8;
            int total = _sessions.Count;
            int n = from >= total ? 0 : total - from < room ? total - from : room;
            byte[]? b = _control.BeginAnswer(opcode, id, ResultCode.Success);
            if (b == null) return;
            ByteWriter w = _writer;
            w.Reset(b, ControlPoint.AnswerPayload, NotificationQueue.MaxPayload - ControlPoint.AnswerPayload);
            w.U16(total);
            w.U16(from);
            w.U8(n | (compact ? 0x80 : 0));
            for (int i = 0; i < n; i++)
            {
                SessionEntry e = _sessions.At(from + i).ToEntry();
                if (!compact) e.Write(ref w);
                else e.WriteCompact(ref w);
            }
            _control.CommitAnswer(w.Position - ControlPoint.AnswerPayload);
        }
    }
}
