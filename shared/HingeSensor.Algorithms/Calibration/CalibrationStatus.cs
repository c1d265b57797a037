namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>Outcome of a calibration step. Numeric values go on the wire: never renumber.</summary>
    public enum CalibrationStatus
    {
        Ok = 0,
        /// <summary>Shorter than the minimum window, or no samples from the sensor.</summary>
        NotEnoughData = 1,
        /// <summary>The wearer moved during the neutral stance.</summary>
        MovedDuringNeutral = 2,
        /// <summary>The hinge was mostly a twist or a side bend: its axis is far from horizontal.</summary>
        TwistedNotHinged = 3,
        /// <summary>The hinge turned about no single axis (wobbled, walked, reached).</summary>
        NotASingleAxis = 4,
        /// <summary>The hinge did not go deep enough to show its axis.</summary>
        HingeTooShallow = 5,
        /// <summary>A hinge or range calibration was asked for before a neutral stance.</summary>
        NeedsNeutral = 6,
        /// <summary>The toe touch did not flex the trunk enough to be a range.</summary>
        RangeTooShallow = 7,
        /// <summary>The sensor was missing during the capture.</summary>
        SensorMissing = 8,
        /// <summary>The range capture needs the hinge calibration (sagittal angles) first.</summary>
        NeedsHinge = 9,

        /// <summary>
        /// The result would give impossible angles (the neutral stance not at 0° in the segment
        /// frames, a rotation that is not one, flags that contradict each other): not stored.
        /// </summary>
        Inconsistent = 10,
    }

    public static class CalibrationStatusText
    {
        /// <summary>A sentence for the wearer (explicit switch: Enum.ToString is not reliable on the device).</summary>
        public static string Describe(CalibrationStatus status)
        {
            switch (status)
            {
                case CalibrationStatus.Ok: return "ok";
                case CalibrationStatus.NotEnoughData: return "not enough data: hold the position for longer";
                case CalibrationStatus.MovedDuringNeutral: return "moved during the neutral stance: stand still and tall";
                case CalibrationStatus.TwistedNotHinged: return "twisted or bent sideways instead of hinging forward";
                case CalibrationStatus.NotASingleAxis: return "the movement was not a clean hinge: bend forward and back up with a straight back";
                case CalibrationStatus.HingeTooShallow: return "hinge too shallow: push the hips back and bend further forward";
                case CalibrationStatus.NeedsNeutral: return "calibrate the neutral stance first";
                case CalibrationStatus.RangeTooShallow: return "toe touch too shallow: reach further down";
                case CalibrationStatus.SensorMissing: return "a sensor was missing during the capture";
                case CalibrationStatus.NeedsHinge: return "calibrate the hinge first";
                case CalibrationStatus.Inconsistent: return "the result would give impossible angles and was not kept: calibrate the neutral stance again, then the hinge";
                default: return "unknown status";
            }
        }
    }
}
