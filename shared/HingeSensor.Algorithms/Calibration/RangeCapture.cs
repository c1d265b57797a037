using HingeSensor.Algorithms.Posture;

namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>
    /// Collects a full toe touch: the wearer's own maximum trunk flexion becomes 100 % so that
    /// thresholds can be a share of it, as clinicians normalise lumbar flexion.
    /// </summary>
    public sealed class RangeCapture
    {
        private float _maxTrunk;
        private float _maxTorso;
        private int _count;

        public void Reset()
        {
            _maxTrunk = float.MinValue;
            _maxTorso = float.MinValue;
            _count = 0;
        }

        public RangeCapture() { Reset(); }

        public void Add(PostureMetrics m)
        {
            if (!m.TrunkValid) return;
            if (m.TrunkFlexionDeg > _maxTrunk) _maxTrunk = m.TrunkFlexionDeg;
            if (m.TorsoAngleDeg > _maxTorso) _maxTorso = m.TorsoAngleDeg;
            _count++;
        }

        public CalibrationStatus Finish(CalibrationSettings settings, BodyCalibration into)
        {
            into.HasRange = false;
            if (_count < 10) return CalibrationStatus.NotEnoughData;
            into.RangeTrunkFlexionDeg = _maxTrunk;
            into.RangeTorsoAngleDeg = _maxTorso;
            if (_maxTrunk < settings.MinRangeTrunkFlexionDeg) return CalibrationStatus.RangeTooShallow;
            into.HasRange = true;
            return CalibrationStatus.Ok;
        }
    }
}
