using HingeSensor.Simulation.Geometry;

namespace HingeSensor.Simulation.Body
{
    /// <summary>
    /// Segment vectors (from a segment's base joint to the next joint, in the segment frame: x
    /// forward, z up) and sensor sites, as fractions of body height after Drillis &amp; Contini and
    /// Winter: ankle 0.039 H, knee 0.285 H, hip 0.530 H, L5/S1 ≈ 0.585 H, T12 ≈ 0.68 H, C7 0.818 H,
    /// occiput ≈ 0.92 H, vertex 1.0 H.
    /// </summary>
    public sealed class Anthropometry
    {
        public Anthropometry(double heightM)
        {
            HeightM = heightM;
            double h = heightM;
            AnkleHeightM = 0.039 * h;
            Vectors = new[]
            {
                new Vec3(0, 0, 0.246 * h),            // shank: ankle → knee
                new Vec3(0, 0, 0.245 * h),            // thigh: knee → hip joint
                new Vec3(-0.035 * h, 0, 0.055 * h),   // pelvis: hip joint → L5/S1 (the lumbosacral joint sits behind the hips)
                new Vec3(0, 0, 0.095 * h),            // lumbar: L5/S1 → T12
                new Vec3(0, 0, 0.070 * h),            // lower thorax: T12 → T7
                new Vec3(0, 0, 0.068 * h),            // upper thorax: T7 → C7
                new Vec3(0.005 * h, 0, 0.060 * h),    // neck: C7 → C0
                new Vec3(0, 0, 0.122 * h),            // head: C0 → vertex
            };
            // Sensor sites on the skin of the back, segment frames.
            SacrumSite = new Vec3(-0.062 * h, 0, 0.040 * h);   // S2, on the pelvis
            UpperBackSite = new Vec3(-0.048 * h, 0, 0.018 * h); // T5, just above T7 on the upper thorax
            HeadSite = new Vec3(-0.058 * h, 0, 0.040 * h);     // occiput, back of the head
        }

        public double HeightM { get; }
        public double AnkleHeightM { get; }
        public Vec3[] Vectors { get; }
        public Vec3 SacrumSite { get; }
        public Vec3 UpperBackSite { get; }
        public Vec3 HeadSite { get; }
    }
}
