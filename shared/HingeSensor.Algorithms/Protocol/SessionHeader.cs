using HingeSensor.Algorithms.Calibration;

namespace HingeSensor.Algorithms.Protocol
{
    /// <summary>The first chunk of a session: who recorded it, when, with which settings and calibration.</summary>
    public sealed class SessionHeader
    {
        public const int MaxSerial = 16;

        public int FormatVersion = SessionFormat.FormatVersion;
        public string DeviceSerial = "";
        public int FirmwareMajor;
        public int FirmwareMinor;
        public int FirmwarePatch;
        public int SessionId;

        /// <summary>Wall clock at the start, unix ms (0 if the device's time was never set).</summary>
        public long StartUnixMs;

        /// <summary>Device time at the start, ms since boot.</summary>
        public uint StartDeviceMs;
        public int FrameRateHz = 25;
        public readonly DeviceConfig Config = new DeviceConfig();
        public readonly BodyCalibration Calibration = new BodyCalibration();

        public int Encode(byte[] buffer, int offset)
        {
            var w = new ByteWriter(buffer, offset, buffer.Length - offset);
            w.U8(FormatVersion);
            int n = DeviceSerial.Length > MaxSerial ? MaxSerial : DeviceSerial.Length;
            w.U8(n);
            for (int i = 0; i < n; i++) w.U8(DeviceSerial[i] & 0x7F);
            w.U8(FirmwareMajor);
            w.U8(FirmwareMinor);
            w.U8(FirmwarePatch);
            w.U16(SessionId);
            w.I64(StartUnixMs);
            w.U32(StartDeviceMs);
            w.U8(FrameRateHz);
            int configAt = w.Position + 1;
            int configLength = Config.Encode(buffer, configAt);
            w.U8(configLength);
            w.Position += configLength;
            CalibrationRecord.Write(ref w, Calibration);
            return w.Ok ? w.Position - offset : -1;
        }

        public bool Decode(byte[] buffer, int offset, int count)
        {
            var r = new ByteReader(buffer, offset, count);
            FormatVersion = r.U8();
            if (FormatVersion != SessionFormat.FormatVersion) return false;
            int n = r.U8();
            if (n > MaxSerial) return false;
            char[] serial = new char[n];
            for (int i = 0; i < n; i++) serial[i] = (char)r.U8();
            DeviceSerial = new string(serial);
            FirmwareMajor = r.U8();
            FirmwareMinor = r.U8();
            FirmwarePatch = r.U8();
            SessionId = r.U16();
            StartUnixMs = r.I64();
            StartDeviceMs = r.U32();
            FrameRateHz = r.U8();
            int configLength = r.U8();
            if (!r.Ok || configLength > r.Remaining) return false;
            if (DeviceConfig.Decode(buffer, r.Position, configLength, Config) != ConfigField.None) return false;
            r.Skip(configLength);
            CalibrationRecord.Read(ref r, Calibration);
            return r.Ok;
        }
    }
}
