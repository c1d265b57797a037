namespace HingeSensor.Simulation.Motion
{
    /// <summary>A scalar coordinate with its first and second time derivatives.</summary>
    public readonly record struct Kin(double Value, double Rate, double Accel)
    {
        public static readonly Kin Zero = new(0, 0, 0);
        public static Kin operator +(Kin a, Kin b) => new(a.Value + b.Value, a.Rate + b.Rate, a.Accel + b.Accel);
        public static Kin operator -(Kin a, Kin b) => new(a.Value - b.Value, a.Rate - b.Rate, a.Accel - b.Accel);
        public static Kin operator *(Kin a, double s) => new(a.Value * s, a.Rate * s, a.Accel * s);
    }
}
