namespace HingeSensor.Simulation.Body
{
    /// <summary>Rigid segments of the chain from the feet up. The sensors sit on Pelvis (sacrum), UpperThorax (T5) and Head.</summary>
    public enum BodySegment
    {
        Shank, Thigh, Pelvis, Lumbar, LowerThorax, UpperThorax, Neck, Head,
    }

    public static class BodySegments
    {
        public const int Count = (int)BodySegment.Head + 1;
    }
}
