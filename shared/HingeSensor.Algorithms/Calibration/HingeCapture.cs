using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>
    /// Collects a slow hinge with a straight back. For each sensor, the scatter of its angular rate
    /// reveals the rotation axis (the segment's mediolateral axis) and the furthest tilt from
    /// neutral tells which way along that axis is "forward".
    /// </summary>
    public sealed class HingeCapture
    {
        // Upper triangle of Σ ω ωᵀ per sensor.
        private readonly float[] _sxx = new float[Segments.Count];
        private readonly float[] _sxy = new float[Segments.Count];
        private readonly float[] _sxz = new float[Segments.Count];
        private readonly float[] _syy = new float[Segments.Count];
        private readonly float[] _syz = new float[Segments.Count];
        private readonly float[] _szz = new float[Segments.Count];
        private readonly float[] _maxTiltCos = new float[Segments.Count];
        private readonly Vector3[] _upAtMaxTilt = new Vector3[Segments.Count];
        private readonly int[] _count = new int[Segments.Count];
        private readonly int[] _missing = new int[Segments.Count];

        public void Reset()
        {
            for (int i = 0; i < Segments.Count; i++)
            {
                _sxx[i] = 0f; _sxy[i] = 0f; _sxz[i] = 0f; _syy[i] = 0f; _syz[i] = 0f; _szz[i] = 0f;
                _maxTiltCos[i] = 1f;
                _upAtMaxTilt[i] = Vector3.Zero;
                _count[i] = 0;
                _missing[i] = 0;
            }
        }

        /// <summary>
        /// Adds one sample: up in the sensor frame, the bias-corrected rate (rad/s), and the
        /// sensor's neutral up for measuring the tilt.
        /// </summary>
        public void Add(int segment, Vector3 upInSensor, Vector3 rate, Vector3 neutralUp)
        {
            _sxx[segment] += rate.X * rate.X;
            _sxy[segment] += rate.X * rate.Y;
            _sxz[segment] += rate.X * rate.Z;
            _syy[segment] += rate.Y * rate.Y;
            _syz[segment] += rate.Y * rate.Z;
            _szz[segment] += rate.Z * rate.Z;
            float c = Vector3.Dot(upInSensor, neutralUp);
            if (c < _maxTiltCos[segment])
            {
                _maxTiltCos[segment] = c;
                _upAtMaxTilt[segment] = upInSensor;
            }
            _count[segment]++;
        }

        public void AddMissing(int segment) { _missing[segment]++; }

        /// <summary>Tilt of this sensor's furthest sample from neutral so far, degrees.</summary>
        public float MaxTiltDeg(int segment) { return FloatMath.Acos(_maxTiltCos[segment]) * FloatMath.DegPerRad; }

        /// <summary>
        /// Judges the capture for one sensor; on success completes its segment frame
        /// (x forward, y left, z up) as the segment → sensor rotation.
        /// </summary>
        public CalibrationStatus Finish(int segment, CalibrationSettings settings, SegmentCalibration into)
        {
            into.HasHinge = false;
            if (!into.HasNeutral) return CalibrationStatus.NeedsNeutral;
            int n = _count[segment];
            if (_missing[segment] > n / 10) return CalibrationStatus.SensorMissing;
            if (n < 10) return CalibrationStatus.NotEnoughData;

            into.HingeAmplitudeDeg = MaxTiltDeg(segment);
            float l1, l2, l3;
            Vector3 axis = SymmetricEigen3.Largest(_sxx[segment], _sxy[segment], _sxz[segment], _syy[segment], _syz[segment], _szz[segment], out l1, out l2, out l3);
            float trace = l1 + l2 + l3;
            into.HingePlanarity = trace > 0f ? l1 / trace : 0f;
            Vector3 z = into.NeutralUp;
            float axisAlongUp = Vector3.Dot(axis, z);
            into.HingeAxisTiltDeg = FloatMath.Asin(FloatMath.Abs(axisAlongUp)) * FloatMath.DegPerRad;

            if (into.HingeAmplitudeDeg < settings.MinHingeAmplitudeDeg) return CalibrationStatus.HingeTooShallow;
            if (into.HingeAxisTiltDeg > settings.MaxHingeAxisTiltDeg) return CalibrationStatus.TwistedNotHinged;
            if (into.HingePlanarity < settings.MinHingePlanarity) return CalibrationStatus.NotASingleAxis;

            // Mediolateral axis: the rotation axis made exactly horizontal (perpendicular to z).
            Vector3 y = (axis - z * axisAlongUp).Normalized();
            Vector3 x = Vector3.Cross(y, z);
            // A hinge tilts forward, so at the deepest point up must lean backwards in the segment
            // frame (sagittal angle > 0). If not, the axis came out pointing right: turn it round.
            Vector3 deepest = _upAtMaxTilt[segment];
            if (FloatMath.Atan2(-Vector3.Dot(deepest, x), Vector3.Dot(deepest, z)) < 0f)
            {
                y = -y;
                x = -x;
            }
            into.SegmentToSensor = Quaternion.FromBasis(x, y, z);
            into.HasHinge = true;
            return CalibrationStatus.Ok;
        }
    }
}
