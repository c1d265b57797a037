namespace HingeSensor.Algorithms.Sensing
{
    /// <summary>
    /// The three places a coaching dowel touches the back, one IMU each. The numeric values are
    /// array indices and wire values: never renumber.
    /// </summary>
    public enum Segment
    {
        /// <summary>Back of the head (occiput).</summary>
        Head = 0,

        /// <summary>Upper back, thoracic spine between the shoulder blades (about T4-T6).</summary>
        UpperBack = 1,

        /// <summary>Sacrum (about S2), the pelvis.</summary>
        Sacrum = 2,
    }

    public static class Segments
    {
        public const int Count = 3;
    }
}
