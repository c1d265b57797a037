using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>
    /// The wearer's calibration on flash (calib.bin): the whole calibration record (every
    /// segment's flags, rotation and neutral up, the range) in a checked <see cref="RecordFile"/>,
    /// saved after every step that passed, so a reboot between the neutral and the hinge loses
    /// nothing. A record that fails its check, or that would give impossible angles, is refused:
    /// the device comes up uncalibrated (the wearer calibrates again) and says so
    /// (<see cref="Refused"/>, status flag "record refused").
    /// </summary>
    public sealed class CalibrationStore
    {
        private readonly RecordFile _record;
        private readonly string _path;

        public CalibrationStore(IFileStore files, string directory)
        {
            // Version 2 (before the accelerometer offsets) still loads: a firmware update keeps the calibration.
            _record = new RecordFile(files, 'K', CalibrationRecord.Version, 2, CalibrationRecord.EncodedLength);
            _path = directory + "calib.bin";
        }

        /// <summary>The stored calibration was refused at the last load.</summary>
        public bool Refused;

        public bool Save(BodyCalibration cal)
        {
            var w = new ByteWriter(_record.Buffer, RecordFile.HeaderBytes, CalibrationRecord.EncodedLength);
            CalibrationRecord.Write(ref w, cal, CalibrationRecord.Version);
            return w.Ok && _record.Save(_path, CalibrationRecord.EncodedLength);
        }

        /// <summary>Fills <paramref name="into"/> from flash; false when there is none or it was refused.</summary>
        public bool Load(BodyCalibration into)
        {
            Refused = false;
            int n = _record.Load(_path);
            if (n == RecordFile.Missing) return false;
            var r = new ByteReader(_record.Buffer, RecordFile.HeaderBytes, n > 0 ? n : 0);
            int version = _record.LoadedVersion;
            if (n == CalibrationRecord.EncodedLengthOf(version))
            {
                CalibrationRecord.Read(ref r, into, version);
                int segment;
                if (r.Ok && CalibrationCheck.Check(into, out segment) == CalibrationStatus.Ok) return true;
            }
            into.Clear();
            Refused = true;
            return false;
        }
    }
}
