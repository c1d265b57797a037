using HingeSensor.Algorithms.Calibration;
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

        public PostureCalculator(BodyCalibration calibration, BodyDimensions body)
        {
            _calibration = calibration;
            _body = body;
        }

        public BodyDimensions Body { get { return _body; } }

        /// <summary>
        /// Computes the metrics. <paramref name="sensorToEarth"/> is indexed by segment;
        /// <paramref name="presentMask"/> has bit i set when sensor i delivered this sample.
        /// </summary>
        public void Compute(Quaternion[] sensorToEarth, int presentMask, float timeS, ref PostureMetrics m)
        {
            int valid = 0;
            for (int i = 0; i < Segments.Count; i++)
            {
                SegmentCalibration c = _calibration.Segments[i];
                if ((presentMask & (1 << i)) == 0 || !c.HasHinge)
                {
                    _sagittal[i] = 0f;
                    _lateral[i] = 0f;
                    continue;
                }
                Vector3 up = c.SegmentToSensor.RotateInverse(Inclination.UpInSensor(sensorToEarth[i]));
                _sagittal[i] = Inclination.SagittalDeg(up);
                _lateral[i] = Inclination.LateralDeg(up);
                valid |= 1 << i;
            }
            Fill(timeS, valid, ref m);
        }

        /// <summary>Computes the metrics from segment inclinations already known (re-analysis, tests).</summary>
        public void FromInclinations(float headSag, float upperSag, float sacrumSag, int validMask, float timeS, ref PostureMetrics m)
        {
            _sagittal[(int)Segment.Head] = headSag;
            _sagittal[(int)Segment.UpperBack] = upperSag;
            _sagittal[(int)Segment.Sacrum] = sacrumSag;
            for (int i = 0; i < Segments.Count; i++) _lateral[i] = 0f;
            Fill(timeS, validMask, ref m);
        }

        private void Fill(float timeS, int valid, ref PostureMetrics m)
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
            m.TrunkFlexionDeg = WrapDeg(upper - sacrum);
            m.HeadFlexionDeg = WrapDeg(head - upper);
            m.HingeAngleDeg = sacrum;
            m.TorsoAngleDeg = upper;
            m.DowelGapCm = (valid & 7) == 7 ? DowelLine.GapCm(sacrum, upper, head, _body) : 0f;
            m.TrunkFlexionPercent = _calibration.HasRange && _calibration.RangeTrunkFlexionDeg > 0f
                ? 100f * m.TrunkFlexionDeg / _calibration.RangeTrunkFlexionDeg
                : float.NaN;
        }

        private static float WrapDeg(float a)
        {
            if (a > 180f) return a - 360f;
            if (a < -180f) return a + 360f;
            return a;
        }
    }
}
