using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>The outcome of one calibration capture, per sensor and overall.</summary>
    public sealed class CalibrationReport
    {
        public CalibrationStep Step;

        /// <summary>Ok only when every sensor passed; otherwise the first failure.</summary>
        public CalibrationStatus Status;

        /// <summary>The sensor whose failure is in <see cref="Status"/>, or -1.</summary>
        public int FailedSegment = -1;

        /// <summary>Per segment (see <see cref="Segment"/>).</summary>
        public readonly CalibrationStatus[] SegmentStatus = new CalibrationStatus[Segments.Count];

        /// <summary>Per segment quality in [0, 1] (see <see cref="SegmentCalibration.Quality"/>).</summary>
        public readonly float[] SegmentQuality = new float[Segments.Count];

        public float StartS;
        public float EndS;

        public void Clear(CalibrationStep step, float startS)
        {
            Step = step;
            Status = CalibrationStatus.Ok;
            FailedSegment = -1;
            for (int i = 0; i < Segments.Count; i++)
            {
                SegmentStatus[i] = CalibrationStatus.Ok;
                SegmentQuality[i] = 0f;
            }
            StartS = startS;
            EndS = startS;
        }

        public void Fail(int segment, CalibrationStatus status)
        {
            if (segment >= 0) SegmentStatus[segment] = status;
            if (Status == CalibrationStatus.Ok)
            {
                Status = status;
                FailedSegment = segment;
            }
        }
    }
}
