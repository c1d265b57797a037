namespace HingeSensor.Algorithms.Sensing
{
    /// <summary>
    /// The three IMUs sampled together (one FIFO frame each, in lockstep). Reused from sample to
    /// sample so that the per-sample path does not allocate.
    /// </summary>
    public sealed class SensorFrame
    {
        /// <summary>
        /// Time of the sample in microseconds since the start of the stream. Integer because the
        /// device clock is (HighResTimer) and double arithmetic is software-emulated there.
        /// </summary>
        public long TimeUs;

        /// <summary>Indexed by <see cref="Segment"/>; the three objects live as long as the frame.</summary>
        public readonly ImuSample[] Samples = new ImuSample[Segments.Count];

        public SensorFrame()
        {
            for (int i = 0; i < Samples.Length; i++) Samples[i] = new ImuSample();
        }

        public void CopyFrom(SensorFrame other)
        {
            TimeUs = other.TimeUs;
            for (int i = 0; i < Segments.Count; i++) Samples[i].CopyFrom(other.Samples[i]);
        }
    }
}
