using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    public sealed partial class DeviceCore
    {
        /// <summary>Runs a queued control request on the main loop and answers it.</summary>
        private void Execute(byte[] q, int length)
        {
            int opcode = q[0], id = q[1];
            ByteReader r = _reader;
            r.Reset(q, 2, length - 2);
            switch ((Opcode)opcode)
            {
                case Opcode.Identify:
                    _haptics.Play(HapticPattern.Identify, _nowUs);
                    _control.Respond(opcode, id, ResultCode.Success);
                    return;
                case Opcode.SetTime:
                    _control.Respond(opcode, id, SetTime(r.I64()) ? ResultCode.Success : ResultCode.InvalidParameter);
                    return;
                case Opcode.CalibrateNeutral:
                    Calibrate(opcode, id, CalibrationStep.Neutral, _trackerSettings.NeutralCaptureS);
                    return;
                case Opcode.CalibrateHinge:
                    Calibrate(opcode, id, CalibrationStep.Hinge, _trackerSettings.MovementCaptureTimeoutS);
                    return;
                case Opcode.CalibrateRange:
                    Calibrate(opcode, id, CalibrationStep.Range, _trackerSettings.MovementCaptureTimeoutS);
                    return;
                case Opcode.StartRecording:
                    StartRecording(opcode, id);
                    return;
                case Opcode.StopRecording:
                    if (!_recorder.IsRecording) { _control.Respond(opcode, id, ResultCode.InvalidState); return; }
                    _recorder.Stop(StopReason.Requested, _tracker.TimeS);
                    OnRecordingStopped();
                    _control.Respond(opcode, id, ResultCode.Success);
                    return;
                case Opcode.ListSessions:
                    ListSessions(opcode, id, r.U16());
                    return;
                case Opcode.Download:
                    {
                        int session = r.U16();
                        int offset = r.I32();
                        _control.Respond(opcode, id, _download.Start(session, offset));
                        return;
                    }
                case Opcode.AbortDownload:
                    _download.Abort();
                    _control.Respond(opcode, id, ResultCode.Success);
                    return;
                case Opcode.MarkDownloaded:
                    {
                        int session = r.U16();
                        _control.Respond(opcode, id, _sessions.MarkDownloaded(session, q, r.Position)); // the digest tag follows
                        NotifyStatusIfChanged();
                        return;
                    }
                case Opcode.EraseSession:
                    {
                        int session = r.U16();
                        bool force = r.U8() != 0;
                        // Not while it is being sent: finish or abort the download first.
                        ResultCode erased = _download.SessionId == session ? ResultCode.InvalidState : _sessions.Erase(session, force, q, r.Position);
                        _control.Respond(opcode, id, erased);
                        NotifyStatusIfChanged();
                        return;
                    }
                case Opcode.WriteConfig:
                    WriteConfig(opcode, id, q, length);
                    return;
                case Opcode.ResetConfig:
                    _config.CopyFrom(new DeviceConfig());
                    bool reset = _configStore.Save(_config);
                    ApplyConfig();
                    TakeSnapshots();
                    _control.Respond(opcode, id, reset ? ResultCode.Success : ResultCode.InternalError);
                    NotifyConfig();
                    return;
                default:
                    _control.Respond(opcode, id, ResultCode.UnknownOpcode);
                    return;
            }
        }

        // 2020-01-01 .. 2100-01-01 UTC: a clock outside it is a client's mistake (0 would make
        // every later session look as if the time had never been set).
        private const long EarliestUnixMs = 1577836800000;
        private const long LatestUnixMs = 4102444800000;

        private bool SetTime(long unixMs)
        {
            if (unixMs < EarliestUnixMs || unixMs >= LatestUnixMs) return false;
            _wallOffsetMs = unixMs - NowMs;
            _timeSet = true;
            return true;
        }

        /// <summary>Wall clock, unix ms, or 0 if never set.</summary>
        public long UnixMs { get { return _timeSet ? _wallOffsetMs + NowMs : 0; } }

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

        /// <summary>Starts recording; also what a long button press does.</summary>
        public ResultCode StartRecording()
        {
            if (_recorder.IsRecording) return ResultCode.InvalidState;
            var header = new SessionHeader();
            header.DeviceSerial = _parts.Identity.Serial;
            header.FirmwareMajor = _parts.Identity.FirmwareMajor;
            header.FirmwareMinor = _parts.Identity.FirmwareMinor;
            header.FirmwarePatch = _parts.Identity.FirmwarePatch;
            header.StartUnixMs = UnixMs;
            header.StartDeviceMs = NowMs;
            header.FrameRateHz = _config.RecordRateHz;
            header.Config.CopyFrom(_config);
            header.Calibration.CopyFrom(_tracker.Calibration);
            SessionInfo? s = _recorder.Start(header, _tracker.TimeS);
            if (s == null)
            {
                if (_recorder.LastStop == StopReason.StorageFull) _haptics.Play(HapticPattern.StorageFull, _nowUs);
                return _recorder.LastStop == StopReason.StorageFull ? ResultCode.StorageFull : ResultCode.InternalError;
            }
            _recordEvery = ReportsPer(header.FrameRateHz);
            _recording = true;
            NotifyStatusIfChanged();
            return ResultCode.Success;
        }

        private void StartRecording(int opcode, int id)
        {
            ResultCode result = StartRecording();
            if (result != ResultCode.Success)
            {
                _control.Respond(opcode, id, result);
                return;
            }
            int session = _recorder.Session!.Id;
            _scratch[0] = (byte)session;
            _scratch[1] = (byte)(session >> 8);
            _control.Respond(opcode, id, ResultCode.Success, _scratch, 2);
        }

        private void ListSessions(int opcode, int id, int from)
        {
            // [total u16][first u16][n u8][entries]: as many entries as one notification holds.
            // Below MTU 39 not even one full entry fits, so entries go compact (id, length,
            // flags: 7 bytes) and bit 7 of n says so.
            int payload = _mtu - GattIds.AttNotifyOverhead - 4 - 5;
            bool compact = payload < SessionEntry.EncodedLength;
            int room = payload / (compact ? SessionEntry.CompactLength : SessionEntry.EncodedLength);
            if (room > 8) room = 8;
            int total = _sessions.Count;
            int n = from >= total ? 0 : total - from < room ? total - from : room;
            ByteWriter w = _writer;
            w.Reset(_scratch);
            w.U16(total);
            w.U16(from);
            w.U8(n | (compact ? 0x80 : 0));
            for (int i = 0; i < n; i++)
            {
                SessionEntry e = _sessions.At(from + i).ToEntry();
                if (!compact) e.Write(ref w);
                else e.WriteCompact(ref w);
            }
            _control.Respond(opcode, id, ResultCode.Success, _scratch, w.Position);
        }

        private void WriteConfig(int opcode, int id, byte[] q, int length)
        {
            ConfigField bad = DeviceConfig.Decode(q, 2, length - 2, _config);
            if (bad != ConfigField.None)
            {
                _scratch[0] = (byte)bad;
                _control.Respond(opcode, id, ResultCode.InvalidParameter, _scratch, 1);
                return;
            }
            bool saved = _configStore.Save(_config);
            ApplyConfig();
            TakeSnapshots();
            _control.Respond(opcode, id, saved ? ResultCode.Success : ResultCode.InternalError);
            NotifyConfig();
        }
    }
}
