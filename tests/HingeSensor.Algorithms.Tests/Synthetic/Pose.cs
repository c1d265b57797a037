namespace HingeSensor.Algorithms.Tests.Synthetic
{
    /// <summary>
    /// The true posture at one instant, as the algorithms define it: per segment sagittal and
    /// lateral inclination (degrees, relative to neutral) and a heading (degrees about vertical).
    /// </summary>
    public struct Pose
    {
        public double HeadSag, UpperSag, SacrumSag;
        public double HeadLat, UpperLat, SacrumLat;
        public double HeadHeading, UpperHeading, SacrumHeading;

        public static Pose Straight(double inclinationDeg) => new Pose { HeadSag = inclinationDeg, UpperSag = inclinationDeg, SacrumSag = inclinationDeg };

        public double Sag(int s) => s switch { 0 => HeadSag, 1 => UpperSag, _ => SacrumSag };
        public double Lat(int s) => s switch { 0 => HeadLat, 1 => UpperLat, _ => SacrumLat };
        public double Heading(int s) => s switch { 0 => HeadHeading, 1 => UpperHeading, _ => SacrumHeading };

        public double TrunkFlexion => UpperSag - SacrumSag;
        public double HeadFlexion => HeadSag - UpperSag;
    }
}
