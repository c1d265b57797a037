using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>
    /// Collects a still neutral stance: for each sensor, where up points in its own frame (the
    /// segment's vertical), how much that direction wandered and how fast the sensor turned.
    /// </summary>
    public sealed class NeutralCapture
    {
        private readonly float[] _sumX = new float[Segments.Count];
        private readonly float[] _sumY = new float[Segments.Count];
        private readonly float[] _sumZ = new float[Segments.Count];
        private readonly float[] _sumRateSq = new float[Segments.Count];
        private readonly int[] _count = new int[Segments.Count];
        private readonly int[] _missing = new int[Segments.Count];
        private float _durationS;

        public void Reset()
        {
            for (int i = 0; i < Segments.Count; i++)
            {
                _sumX[i] = 0f; _sumY[i] = 0f; _sumZ[i] = 0f; _sumRateSq[i] = 0f; _count[i] = 0; _missing[i] = 0;
            }
            _durationS = 0f;
        }

        public float DurationS { get { return _durationS; } }

        /// <summary>Adds one sample of one sensor: up in its frame (unit; the accelerometer's direction) and its bias-corrected rate, rad/s.</summary>
        public void Add(int segment, Vector3 upInSensor, Vector3 rate)
        {
            _sumX[segment] += upInSensor.X;
            _sumY[segment] += upInSensor.Y;
            _sumZ[segment] += upInSensor.Z;
            _sumRateSq[segment] += rate.LengthSquared;
            _count[segment]++;
        }

        public void AddMissing(int segment) { _missing[segment]++; }

        /// <summary>The length of the capture window, s (set by whoever knows the window).</summary>
        public void SetDuration(float seconds) { _durationS = seconds; }

        /// <summary>Judges the capture for one sensor and fills in its neutral vertical.</summary>
        public CalibrationStatus Finish(int segment, CalibrationSettings settings, SegmentCalibration into)
        {
            int n = _count[segment];
            into.NeutralSamples = n;
            if (_missing[segment] > n / 10) return CalibrationStatus.SensorMissing;
            if (n < 10 || _durationS < settings.MinNeutralDurationS) return CalibrationStatus.NotEnoughData;
            var sum = new Vector3(_sumX[segment], _sumY[segment], _sumZ[segment]);
            float meanLength = sum.Length / n; // mean resultant length of unit vectors, 1 = no spread
            into.NeutralUp = sum.Normalized();
            // For small spreads 1 − R ≈ σ²/2 (σ the RMS angle from the mean direction, rad).
            float oneMinusR = FloatMath.Max(0f, 1f - meanLength);
            into.NeutralSpreadDeg = FloatMath.Sqrt(2f * oneMinusR) * FloatMath.DegPerRad;
            into.NeutralRateDps = FloatMath.Sqrt(_sumRateSq[segment] / n) * FloatMath.DegPerRad;
            into.HasNeutral = false;
            if (into.NeutralSpreadDeg > settings.MaxNeutralSpreadDeg || into.NeutralRateDps > settings.MaxNeutralRateDps)
                return CalibrationStatus.MovedDuringNeutral;
            into.HasNeutral = true;
            return CalibrationStatus.Ok;
        }
    }
}
