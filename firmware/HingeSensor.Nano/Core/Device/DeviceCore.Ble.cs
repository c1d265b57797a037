using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>What a physical button press asks for.</summary>
    public enum ButtonPress
    {
        /// <summary>Calibrate: neutral if not calibrated or after a hinge, else the hinge.</summary>
        Short = 1,

        /// <summary>Start or stop recording.</summary>
        Long = 2,
    }

    public sealed partial class DeviceCore
    {
        // --- Link events from the BLE glue (its thread; these only set state). ---

        public void OnConnected(int mtu)
        {
            _connected = true;
            _secure = false;
            OnMtuChanged(mtu);
        }

        public void OnMtuChanged(int mtu)
        {
            _mtu = mtu < GattIds.MinimumMtu ? GattIds.MinimumMtu : mtu > NotificationQueue.MaxPayload + GattIds.AttNotifyOverhead ? NotificationQueue.MaxPayload + GattIds.AttNotifyOverhead : mtu;
            _live.SetMtu(_mtu);
        }

        public void OnDisconnected()
        {
            _connected = false;
            _secure = false;
            _liveSubscribed = false;
            _statusSubscribed = false;
            _download.Abort();
            _live.Reset();
            _notifications.Clear();
            _control.Clear();
        }

        /// <summary>The link became encrypted with a bonded (authenticated) key.</summary>
        public void OnSecurityChanged(bool encryptedAndBonded) { _secure = encryptedAndBonded; }

        public bool Connected { get { return _connected; } }

        public void OnSubscribe(GattCharacteristic c, bool on)
        {
            if (c == GattCharacteristic.Live) _liveSubscribed = on;
            else if (c == GattCharacteristic.Status) _statusSubscribed = on;
        }

        /// <summary>A write on the control characteristic: checked and queued (see <see cref="ControlPoint"/>).</summary>
        public void OnControlWrite(byte[] data, int length) { _control.OnWrite(data, length, _secure); }

        /// <summary>Reads a characteristic's current value into buffer; returns its length (0 for unknown).</summary>
        public int Read(GattCharacteristic c, byte[] buffer)
        {
            switch (c)
            {
                case GattCharacteristic.Config: return _config.Encode(buffer, 0);
                case GattCharacteristic.Status: return BuildStatus().Encode(buffer, 0);
                case GattCharacteristic.BatteryLevel:
                    buffer[0] = (byte)LiPo.Percent(_parts.Battery.Millivolts);
                    return 1;
                default: return 0;
            }
        }

        /// <summary>Device Information service strings by characteristic UUID.</summary>
        public string DeviceInformation(ushort uuid)
        {
            DeviceIdentity d = _parts.Identity;
            switch (uuid)
            {
                case GattIds.ManufacturerName: return d.Manufacturer;
                case GattIds.ModelNumber: return d.Model;
                case GattIds.SerialNumber: return d.Serial;
                case GattIds.HardwareRevision: return d.HardwareRevision;
                case GattIds.FirmwareRevision: return d.FirmwareRevision;
                default: return "";
            }
        }

        /// <summary>The name to advertise.</summary>
        public string DeviceName { get { return _config.DeviceName; } }

        public void OnButton(ButtonPress press)
        {
            if (press == ButtonPress.Long)
            {
                if (_recorder.IsRecording)
                {
                    _recorder.Stop(StopReason.Requested, _tracker.TimeS);
                    OnRecordingStopped();
                }
                else StartRecording();
                return;
            }
            BodyCalibration cal = _tracker.Calibration;
            bool hingeNext = cal.Segments[0].HasNeutral && !cal.IsComplete;
            if (hingeNext) _tracker.BeginCalibration(CalibrationStep.Hinge, _trackerSettings.MovementCaptureTimeoutS);
            else _tracker.BeginCalibration(CalibrationStep.Neutral, _trackerSettings.NeutralCaptureS);
        }

        public DeviceStatus BuildStatus()
        {
            DeviceStatus s = _status;
            int mv = _parts.Battery.Millivolts;
            s.BatteryMillivolts = mv;
            s.BatteryPercent = LiPo.Percent(mv);
            s.Charging = _parts.Battery.Charging;
            for (int i = 0; i < 3; i++) s.Sensors[i] = _channels[i].IsOk ? SensorState.Ok : _channels[i].Health == Sampling.ChannelHealth.Absent ? SensorState.Absent : SensorState.Retrying;
            BodyCalibration cal = _tracker.Calibration;
            s.CalibrationFlags = (cal.Segments[0].HasNeutral && cal.Segments[1].HasNeutral && cal.Segments[2].HasNeutral ? DeviceStatus.CalNeutral : 0)
                               | (cal.IsComplete ? DeviceStatus.CalHinge : 0) | (cal.HasRange ? DeviceStatus.CalRange : 0);
            s.Capturing = (int)_tracker.Capturing;
            s.Recording = _recorder.IsRecording ? RecordingState.Recording : _recorder.LastStop == StopReason.StorageFull ? RecordingState.StoppedStorageFull : RecordingState.Idle;
            s.SessionId = _recorder.Session != null ? _recorder.Session.Id : 0;
            s.StorageUsedKb = (int)((_parts.Files.TotalBytes - _parts.Files.FreeBytes) / 1024);
            s.StorageTotalKb = (int)(_parts.Files.TotalBytes / 1024);
            s.UndownloadedSessions = _sessions.UndownloadedCount;
            s.Flags = (_configStore.WasReset ? DeviceStatus.FlagConfigReset : 0) | (_timeSet ? DeviceStatus.FlagTimeSet : 0)
                    | (s.Recording == RecordingState.StoppedStorageFull ? DeviceStatus.FlagStorageFull : 0) | (_config.Quiet ? DeviceStatus.FlagQuiet : 0)
                    | (_sessions.RecoveredSessions > 0 ? DeviceStatus.FlagStorageRecovered : 0);
            s.UptimeS = NowMs / 1000;
            s.FifoOverflows = _channels[0].Driver.Overflows + _channels[1].Driver.Overflows + _channels[2].Driver.Overflows;
            s.LiveDropped = _live.Dropped;
            return s;
        }

        private void NotifyStatusIfChanged()
        {
            if (!_connected || !_statusSubscribed) return;
            DeviceStatus s = BuildStatus();
            // Only what matters to a person counts as a change (not the uptime ticking).
            int hash = s.BatteryPercent ^ ((int)s.Sensors[0] << 8) ^ ((int)s.Sensors[1] << 10) ^ ((int)s.Sensors[2] << 12)
                     ^ (s.CalibrationFlags << 14) ^ (s.Capturing << 17) ^ ((int)s.Recording << 19) ^ (s.SessionId << 21)
                     ^ (s.UndownloadedSessions << 5) ^ (s.Flags << 24);
            if (hash == _statusHash) return;
            byte[]? b = _notifications.Reserve();
            if (b == null) return;
            _statusHash = hash;
            int n = s.Encode(b, 0);
            int room = _mtu - GattIds.AttNotifyOverhead;
            _notifications.Commit(GattCharacteristic.Status, n <= room ? n : DeviceStatus.EssentialLength);
        }

        private void NotifyConfig()
        {
            if (!_connected) return;
            byte[]? b = _notifications.Reserve();
            if (b == null) return;
            int n = _config.Encode(b, 0);
            if (n > _mtu - GattIds.AttNotifyOverhead)
            {
                // Too big for this MTU: say it changed; the host reads it (reads are not MTU-bound).
                b[0] = 0;
                n = 1;
            }
            _notifications.Commit(GattCharacteristic.Config, n);
        }
    }
}
