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
        // Per segment, the y component of up in the segment frame (the lateral tilt's sine).
        private readonly float[] _upY = new float[Segments.Count];
        // Per segment, its segment → sensor rotation (w, x, y, z; identity before the hinge
        // calibration), taken from the calibration by Refresh.
        private readonly float[] _mounting = new float[4 * Segments.Count];
        // Per segment, segment → Earth (sensor → Earth · segment → sensor), w, x, y, z.
        private readonly float[] _segmentToEarth = new float[4 * Segments.Count];
        private int _calibratedMask;

        public PostureCalculator(BodyCalibration calibration, BodyDimensions body)
        {
            _calibration = calibration;
            _body = body;
            for (int i = 0; i < Segments.Count; i++) _segmentToEarth[4 * i] = 1f;
            Refresh();
        }

        public BodyDimensions Body { get { return _body; } }

        /// <summary>
        /// Segment → Earth of each segment after the last <see cref="Compute(OrientationFilter[], int, float, PostureMetrics)"/>,
        /// four floats each (w, x, y, z), indexed by segment; a sensor's own orientation until its
        /// segment is calibrated, the last known one for a sensor that did not deliver. The live
        /// stream sends these.
        /// </summary>
        public float[] SegmentToEarth { get { return _segmentToEarth; } }

        /// <summary>Takes in the calibration's current mountings; call after changing it.</summary>
        public void Refresh()
        {
            int mask = 0;
            for (int i = 0; i < Segments.Count; i++)
            {
                SegmentCalibration c = _calibration.Segments[i];
                int k = 4 * i;
                if (c.HasHinge)
                {
                    mask |= 1 << i;
                    Quaternion q = c.SegmentToSensor;
                    _mounting[k] = q.W; _mounting[k + 1] = q.X; _mounting[k + 2] = q.Y; _mounting[k + 3] = q.Z;
                }
                else
                {
                    _mounting[k] = 1f; _mounting[k + 1] = 0f; _mounting[k + 2] = 0f; _mounting[k + 3] = 0f;
                }
            }
            _calibratedMask = mask;
        }

        /// <summary>
        /// The per-sample part of the metrics, from the filters' orientations (the device path:
        /// nothing is copied): each present segment's orientation, its sagittal tilt and all that
        /// derives from it — trunk and head flexion, hinge and torso angle, the share of the range.
        /// <paramref name="presentMask"/> has bit i set when sensor i delivered this sample. The
        /// lateral tilts and the dowel gap follow with <see cref="Detail"/>.
        /// </summary>
        public void Compute(OrientationFilter[] filters, int presentMask, float timeS, PostureMetrics m)
        {
            for (int i = 0; i < Segments.Count; i++)
            {
                if ((presentMask & (1 << i)) == 0) continue;
                OrientationFilter f = filters[i];
                Incline(i, f.Qw, f.Qx, f.Qy, f.Qz);
            }
            Fill(timeS, presentMask & _calibratedMask, m);
        }

        /// <summary>
        /// The rest of the metrics, for the sample <see cref="Compute(OrientationFilter[], int, float, PostureMetrics)"/>
        /// last computed: the lateral tilts and the dowel gap. What is reported (live, recorded)
        /// needs them; the decision does not, so the device works them out only at its report rate.
        /// </summary>
        public void Detail(PostureMetrics m)
        {
            int valid = m.ValidSegments;
            // Inclination.LateralDeg written out, with System.Math called directly.
            m.HeadLateralDeg = (valid & 1) != 0 ? (float)System.Math.Asin(_upY[0]) * FloatMath.DegPerRad : 0f;
            m.UpperBackLateralDeg = (valid & 2) != 0 ? (float)System.Math.Asin(_upY[1]) * FloatMath.DegPerRad : 0f;
            m.SacrumLateralDeg = (valid & 4) != 0 ? (float)System.Math.Asin(_upY[2]) * FloatMath.DegPerRad : 0f;
            m.DowelGapCm = (valid & 7) == 7 ? DowelLine.GapCm(m.SacrumSagittalDeg, m.UpperBackSagittalDeg, m.HeadSagittalDeg, _body) : 0f;
        }

        /// <summary>
        /// All the metrics from sensor → Earth orientations indexed by segment (host, tests).
        /// </summary>
        public void Compute(Quaternion[] sensorToEarth, int presentMask, float timeS, PostureMetrics m)
        {
            for (int i = 0; i < Segments.Count; i++)
            {
                if ((presentMask & (1 << i)) == 0) continue;
                Quaternion q = sensorToEarth[i];
                Incline(i, q.W, q.X, q.Y, q.Z);
            }
            Fill(timeS, presentMask & _calibratedMask, m);
            Detail(m);
        }

        /// <summary>Computes the metrics from segment inclinations already known (re-analysis, tests).</summary>
        public void FromInclinations(float headSag, float upperSag, float sacrumSag, int validMask, float timeS, PostureMetrics m)
        {
            _sagittal[(int)Segment.Head] = headSag;
            _sagittal[(int)Segment.UpperBack] = upperSag;
            _sagittal[(int)Segment.Sacrum] = sacrumSag;
            Fill(timeS, validMask, m);
            m.HeadLateralDeg = 0f;
            m.UpperBackLateralDeg = 0f;
            m.SacrumLateralDeg = 0f;
            m.DowelGapCm = (validMask & 7) == 7 ? DowelLine.GapCm(sacrumSag, upperSag, headSag, _body) : 0f;
        }

        // Segment i's orientation from its sensor's (w, x, y, z) and, through the calibrated
        // mounting, where up points in the segment: its sagittal tilt now, the lateral one's
        // sine for Detail. For an uncalibrated segment both are meaningless and not used.
        private void Incline(int i, float w, float x, float y, float z)
        {
            // segment → Earth = sensor → Earth · segment → sensor (Hamilton product).
            float[] mt = _mounting;
            int k = 4 * i;
            float bw = mt[k], bx = mt[k + 1], by = mt[k + 2], bz = mt[k + 3];
            float pw = w * bw - x * bx - y * by - z * bz;
            float px = w * bx + x * bw + y * bz - z * by;
            float py = w * by - x * bz + y * bw + z * bx;
            float pz = w * bz + x * by - y * bx + z * bw;
            float[] p = _segmentToEarth;
            p[k] = pw; p[k + 1] = px; p[k + 2] = py; p[k + 3] = pz;
            // Up in the segment frame: the third row of segment → Earth's rotation matrix.
            float sx = 2f * (px * pz - pw * py);
            float sy = 2f * (py * pz + pw * px);
            float sz = 1f - 2f * (px * px + py * py);
            _upY[i] = sy > 1f ? 1f : sy < -1f ? -1f : sy;
            // Inclination.SagittalDeg written out, with System.Math called directly: on the device
            // each wrapper would be one more call (≈ a dozen arithmetic instructions).
            _sagittal[i] = (float)System.Math.Atan2(-sx, sz) * FloatMath.DegPerRad;
        }

        // The sagittal-derived metrics; an invalid segment's tilt reads 0.
        private void Fill(float timeS, int valid, PostureMetrics m)
        {
            float head = (valid & 1) != 0 ? _sagittal[(int)Segment.Head] : 0f;
            float upper = (valid & 2) != 0 ? _sagittal[(int)Segment.UpperBack] : 0f;
            float sacrum = (valid & 4) != 0 ? _sagittal[(int)Segment.Sacrum] : 0f;
            m.TimeS = timeS;
            m.ValidSegments = valid;
            m.HeadSagittalDeg = head;
            m.UpperBackSagittalDeg = upper;
            m.SacrumSagittalDeg = sacrum;
            // TrunkFlexionDeg and HeadFlexionDeg written out (two calls each on the device).
            float trunk = upper - sacrum, neck = head - upper;
            m.TrunkFlexionDeg = trunk > 180f ? trunk - 360f : trunk < -180f ? trunk + 360f : trunk;
            m.HeadFlexionDeg = neck > 180f ? neck - 360f : neck < -180f ? neck + 360f : neck;
            m.HingeAngleDeg = sacrum;
            m.TorsoAngleDeg = upper;
            m.TrunkFlexionPercent = _calibration.HasRange && _calibration.RangeTrunkFlexionDeg > 0f
                ? 100f * m.TrunkFlexionDeg / _calibration.RangeTrunkFlexionDeg
                : float.NaN;
        }

        /// <summary>
        /// Trunk flexion from two sagittal inclinations: the upper back's relative to the sacrum's
        /// (rounding +), wrapped into (−180°, 180°]. The one definition: whatever re-derives it from
        /// stored inclinations (the host's sessions, reports, exports) calls this.
        /// </summary>
        public static float TrunkFlexionDeg(float upperBackSagittalDeg, float sacrumSagittalDeg)
        {
            return WrapDeg(upperBackSagittalDeg - sacrumSagittalDeg);
        }

        /// <summary>Head flexion from two sagittal inclinations: the head's relative to the upper back's (chin drop +, head up −), wrapped into (−180°, 180°].</summary>
        public static float HeadFlexionDeg(float headSagittalDeg, float upperBackSagittalDeg)
        {
            return WrapDeg(headSagittalDeg - upperBackSagittalDeg);
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
