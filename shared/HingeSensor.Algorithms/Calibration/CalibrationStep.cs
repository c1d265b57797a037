namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>The calibration captures. Numeric values go on the wire: never renumber.</summary>
    public enum CalibrationStep
    {
        None = 0,

        /// <summary>Stand still and tall (≥ 2 s): each sensor's vertical.</summary>
        Neutral = 1,

        /// <summary>A slow hinge with a straight back, down and up: each sensor's mediolateral axis.</summary>
        Hinge = 2,

        /// <summary>A full toe touch: the wearer's own trunk-flexion range (optional).</summary>
        Range = 3,
    }
}
