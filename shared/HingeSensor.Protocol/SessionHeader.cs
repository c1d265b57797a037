using HingeSensor.Algorithms.Calibration;

namespace HingeSensor.Protocol
{
    /// <summary>
    /// The first chunk of a session: who recorded it, which recording it is (a random identity
    /// from format 2 on), when, with which settings and calibration.
    /// </summary>
    public sealed class SessionHeader
    {
        public const int MaxSerial = 16;

        public int FormatVersion = SessionFormat.FormatVersion;
        public string DeviceSerial = "";
        public int FirmwareMajor;
        public int FirmwareMinor;
        public int FirmwarePatch;
        public int SessionId;

        /// <summary>
        /// Random, drawn when recording starts (format 2): with the serial it names this recording
        /// and no other, even when session ids start again from 1 (flash wiped). 0 in format 1.
        /// </summary>
        public long SessionUid;

        /// <summary>Wall clock at the start, unix ms (0 if the device's time was never set).</summary>
        public long StartUnixMs;

        /// <summary>Device time at the start, ms since boot.</summary>
        public uint StartDeviceMs;
        public int FrameRateHz = 25;
        public readonly DeviceConfig Config = new DeviceConfig();
        public readonly BodyCalibration Calibration = new BodyCalibration();

        /// <summary>Why the last <see cref="Decode"/> refused the header ("" when it did not).</summary>
        public string Problem = "";

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
            if (FormatVersion >= 2) w.I64(SessionUid);
            w.I64(StartUnixMs);
            w.U32(StartDeviceMs);
            w.U8(FrameRateHz);
            int configAt = w.Position + 1;
            int configLength = Config.Encode(buffer, configAt);
            w.U8(configLength);
            w.Position += configLength;
            CalibrationRecord.Write(ref w, Calibration, 2); // format 2 carries version 2
            return w.Ok && FormatVersion == SessionFormat.FormatVersion ? w.Position - offset : -1;
        }

        /// <summary>Reads a format 1 or 2 header; false (and <see cref="Problem"/>) when it is not one this reader can believe.</summary>
        public bool Decode(byte[] buffer, int offset, int count)
        {
            var r = new ByteReader(buffer, offset, count);
            Problem = "";
            FormatVersion = r.U8();
            if (FormatVersion < SessionFormat.OldestFormatVersion || FormatVersion > SessionFormat.FormatVersion) return Refuse("unknown session format version");
            int n = r.U8();
            if (n > MaxSerial) return Refuse("device serial longer than 16 characters");
            char[] serial = new char[n];
            for (int i = 0; i < n; i++) serial[i] = (char)r.U8();
            DeviceSerial = new string(serial);
            FirmwareMajor = r.U8();
            FirmwareMinor = r.U8();
            FirmwarePatch = r.U8();
            SessionId = r.U16();
            SessionUid = FormatVersion >= 2 ? r.I64() : 0;
            StartUnixMs = r.I64();
            StartDeviceMs = r.U32();
            FrameRateHz = r.U8();
            int configLength = r.U8();
            if (!r.Ok || configLength > r.Remaining) return Refuse("header chunk too short");
            // Every frame's time is its index over this rate: 0 would put them all at infinity.
            if (FrameRateHz < 1 || FrameRateHz > 100) return Refuse("frame rate outside 1-100 Hz");
            if (DeviceConfig.Decode(buffer, r.Position, configLength, Config) != ConfigField.None) return Refuse("device config record does not decode");
            r.Skip(configLength);
            CalibrationRecord.Read(ref r, Calibration, FormatVersion >= 2 ? 2 : 1);
            return r.Ok || Refuse("header chunk too short");
        }

        private bool Refuse(string problem)
        {
            Problem = problem;
            return false;
        }
    }
}
