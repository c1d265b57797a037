using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Fusion;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Posture
{
    /// <summary>
    /// Turns the three sensor orientations into <see cref="PostureMetrics"/> through the mounting
    /// calibration. Only each sensor's gravity direction is used, so neither the unobservable
    /// heading nor its per-sensor drift reaches any metric.
    /// </summary>
    public sealed class PostureCalculator
    {
        private readonly BodyCalibration _calibration;
        private readonly BodyDimensions _body;
        private readonly float[] _sagittal = new float[Segments.Count];
        private readonly float[] _lateral = new float[Segments.Count];
        // Per segment, the sensor → segment rotation matrix (the transpose of segment → sensor),
        // row-major, taken from the calibration by Refresh: converting a quaternion every sample
        // would cost more than the nine multiplications it saves.
        private readonly float[] _sensorToSegment = new float[9 * Segments.Count];
        private int _calibratedMask;

        public PostureCalculator(BodyCalibration calibration, BodyDimensions body)
        {
            _calibration = calibration;
            _body = body;
            Refresh();
        }

        public BodyDimensions Body { get { return _body; } }

        /// <summary>Takes in the calibration's current mountings; call after changing it.</summary>
        public void Refresh()
        {
            int mask = 0;
            for (int i = 0; i < Segments.Count; i++)
            {
                SegmentCalibration c = _calibration.Segments[i];
                if (c.HasHinge) mask |= 1 << i;
                Quaternion q = c.SegmentToSensor;
                float w = q.W, x = q.X, y = q.Y, z = q.Z;
                int k = 9 * i;
                // Row r of the transpose is column r of the rotation matrix of q.
                _sensorToSegment[k] = 1f - 2f * (y * y + z * z);
                _sensorToSegment[k + 1] = 2f * (x * y + w * z);
                _sensorToSegment[k + 2] = 2f * (x * z - w * y);
                _sensorToSegment[k + 3] = 2f * (x * y - w * z);
                _sensorToSegment[k + 4] = 1f - 2f * (x * x + z * z);
                _sensorToSegment[k + 5] = 2f * (y * z + w * x);
                _sensorToSegment[k + 6] = 2f * (x * z + w * y);
                _sensorToSegment[k + 7] = 2f * (y * z - w * x);
                _sensorToSegment[k + 8] = 1f - 2f * (x * x + y * y);
            }
            _calibratedMask = mask;
        }

        /// <summary>
        /// Computes the metrics from the filters' orientations (the device path: nothing is
        /// copied). <paramref name="presentMask"/> has bit i set when sensor i delivered this sample.
        /// </summary>
        public void Compute(OrientationFilter[] filters, int presentMask, float timeS, PostureMetrics m)
        {
            int valid = presentMask & _calibratedMask;
            for (int i = 0; i < Segments.Count; i++)
            {
                if ((valid & (1 << i)) == 0)
                {
                    _sagittal[i] = 0f;
                    _lateral[i] = 0f;
                    continue;
                }
                float w, x, y, z;
                filters[i].GetOrientation(out w, out x, out y, out z);
                Incline(i, w, x, y, z);
            }
            Fill(timeS, valid, m);
        }

        /// <summary>
        /// Computes the metrics from sensor → Earth orientations indexed by segment (host, tests).
        /// </summary>
        public void Compute(Quaternion[] sensorToEarth, int presentMask, float timeS, PostureMetrics m)
        {
            int valid = presentMask & _calibratedMask;
            for (int i = 0; i < Segments.Count; i++)
            {
                if ((valid & (1 << i)) == 0)
                {
                    _sagittal[i] = 0f;
                    _lateral[i] = 0f;
                    continue;
                }
                Quaternion q = sensorToEarth[i];
                Incline(i, q.W, q.X, q.Y, q.Z);
            }
            Fill(timeS, valid, m);
        }

        /// <summary>Computes the metrics from segment inclinations already known (re-analysis, tests).</summary>
        public void FromInclinations(float headSag, float upperSag, float sacrumSag, int validMask, float timeS, PostureMetrics m)
        {
            _sagittal[(int)Segment.Head] = headSag;
            _sagittal[(int)Segment.UpperBack] = upperSag;
            _sagittal[(int)Segment.Sacrum] = sacrumSag;
            for (int i = 0; i < Segments.Count; i++) _lateral[i] = 0f;
            Fill(timeS, validMask, m);
        }

        // Segment i's sagittal and lateral tilt from its sensor's orientation (w, x, y, z).
        private void Incline(int i, float w, float x, float y, float z)
        {
            // Up in the sensor frame: the third row of the orientation's rotation matrix.
            float ux = 2f * (x * z - w * y);
            float uy = 2f * (y * z + w * x);
            float uz = 1f - 2f * (x * x + y * y);
            float[] r = _sensorToSegment;
            int k = 9 * i;
            float sx = r[k] * ux + r[k + 1] * uy + r[k + 2] * uz;
            float sy = r[k + 3] * ux + r[k + 4] * uy + r[k + 5] * uz;
            float sz = r[k + 6] * ux + r[k + 7] * uy + r[k + 8] * uz;
            // Inclination.SagittalDeg and LateralDeg written out, with System.Math called directly:
            // on the device each wrapper would be one more call (≈ a dozen arithmetic instructions).
            if (sy > 1f) sy = 1f;
            else if (sy < -1f) sy = -1f;
            _sagittal[i] = (float)System.Math.Atan2(-sx, sz) * FloatMath.DegPerRad;
            _lateral[i] = (float)System.Math.Asin(sy) * FloatMath.DegPerRad;
        }

        private void Fill(float timeS, int valid, PostureMetrics m)
        {
            float head = _sagittal[(int)Segment.Head];
            float upper = _sagittal[(int)Segment.UpperBack];
            float sacrum = _sagittal[(int)Segment.Sacrum];
            m.TimeS = timeS;
            m.ValidSegments = valid;
            m.HeadSagittalDeg = head;
            m.HeadLateralDeg = _lateral[(int)Segment.Head];
            m.UpperBackSagittalDeg = upper;
            m.UpperBackLateralDeg = _lateral[(int)Segment.UpperBack];
            m.SacrumSagittalDeg = sacrum;
            m.SacrumLateralDeg = _lateral[(int)Segment.Sacrum];
            // WrapDeg written out (a call each on the device).
            float trunk = upper - sacrum, neck = head - upper;
            m.TrunkFlexionDeg = trunk > 180f ? trunk - 360f : trunk < -180f ? trunk + 360f : trunk;
            m.HeadFlexionDeg = neck > 180f ? neck - 360f : neck < -180f ? neck + 360f : neck;
            m.HingeAngleDeg = sacrum;
            m.TorsoAngleDeg = upper;
            m.DowelGapCm = (valid & 7) == 7 ? DowelLine.GapCm(sacrum, upper, head, _body) : 0f;
            m.TrunkFlexionPercent = _calibration.HasRange && _calibration.RangeTrunkFlexionDeg > 0f
                ? 100f * m.TrunkFlexionDeg / _calibration.RangeTrunkFlexionDeg
                : float.NaN;
        }

        /// <summary>An angle difference brought back into (−180°, 180°].</summary>
        public static float WrapDeg(float a)
        {
            if (a > 180f) return a - 360f;
            if (a < -180f) return a + 360f;
            return a;
        }
    }
}
