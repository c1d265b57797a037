namespace HingeSensor.Algorithms.Activity
{
    /// <summary>
    /// The sacrum's vertical acceleration (gravity out) summed twice without leak or reset, one
    /// step per context tick: the step's length is applied by whoever reads it, over a span
    /// (<see cref="Reps.RepDetector"/>: a rep's drop, corrected at its end). Fields, not
    /// properties: read on the device's per-sample path. NaN after a drop-out, until
    /// <see cref="Restart"/>.
    /// </summary>
    public sealed class SacrumIntegral
    {
        /// <summary>Ticks since the restart.</summary>
        public int N;
        /// <summary>Sum of the accelerations, m/s² (× the tick's length: velocity).</summary>
        public float V;
        /// <summary>Sum of <see cref="V"/> (× the tick's length squared: height).</summary>
        public float H;

        public void Restart()
        {
            N = 0;
            V = 0f;
            H = 0f;
        }
    }
}
