namespace HingeSensor.Simulation.Choreography
{
    /// <summary>
    /// How one kind of lift moves the body, as ranges the choreographer draws each rep from: the
    /// torso angle reached (depth), the share of it the pelvis carries, knee bend and shank lean,
    /// and timing. The pelvis share is what tells the patterns apart: a hinge tilts the pelvis for
    /// ~90 % of the torso's inclination, a squat keeps the torso upright over bent knees with the
    /// pelvis carrying ~70 %, a stoop rounds the spine over nearly straight legs (~50 %).
    /// </summary>
    internal sealed record LiftStyle
    {
        public RepPattern Pattern { get; init; }
        public double DescentLo { get; init; } = 1.2;
        public double DescentHi { get; init; } = 2.2;
        public double PauseLo { get; init; }
        public double PauseHi { get; init; } = 0.8;
        public double AscentLo { get; init; } = 1.0;
        public double AscentHi { get; init; } = 1.8;
        public double DepthLo { get; init; }
        public double DepthHi { get; init; }
        /// <summary>Degrees of depth added per unit of flexibility (flexible people hinge deeper).</summary>
        public double DepthFlex { get; init; }
        public double ShareLo { get; init; }
        public double ShareHi { get; init; }
        public double ShareFlex { get; init; }
        public double KneeLo { get; init; }
        public double KneeHi { get; init; }
        public double AnkleLo { get; init; }
        public double AnkleHi { get; init; }
        public double RestLo { get; init; } = 0.8;
        public double RestHi { get; init; } = 2.0;
        /// <summary>The rest after the last rep of the set, s.</summary>
        public double LastRest { get; init; } = 1.0;
        /// <summary>Head flexion added at the bottom (a tie-in for looking at the floor or the bar), degrees.</summary>
        public double HeadLo { get; init; } = -4;
        public double HeadHi { get; init; } = 4;

        /// <summary>The coached hip hinge (the `set` step). The numbers are the original set's, so old scenarios replay bit for bit.</summary>
        public static LiftStyle Hinge(double flexibility) => new()
        {
            Pattern = RepPattern.Hinge, DepthLo = 68, DepthHi = 80, DepthFlex = 12,
            ShareLo = 0.87, ShareHi = 0.92, ShareFlex = 0.03, KneeLo = 10, KneeHi = 22, AnkleLo = 4, AnkleHi = 9,
        };

        /// <summary>
        /// A squat: knees well forward (shank 15–32°), the thigh towards horizontal, the torso only
        /// 25–55° forward; loaded (a bar on the back) leans ~8° more and moves slower.
        /// </summary>
        public static LiftStyle Squat(string depth, string load)
        {
            bool deep = depth == "deep", loaded = load == "loaded";
            double lean = loaded ? 8 : 0, slow = loaded ? 1.3 : 1.0;
            return new LiftStyle
            {
                Pattern = RepPattern.Squat,
                DescentLo = 1.2 * slow, DescentHi = 2.0 * slow, PauseLo = 0, PauseHi = 0.5, AscentLo = 1.0 * slow, AscentHi = 1.6 * slow,
                DepthLo = (deep ? 38 : 25) + lean, DepthHi = (deep ? 48 : 34) + lean,
                ShareLo = 0.68, ShareHi = 0.78,
                KneeLo = deep ? 105 : 60, KneeHi = deep ? 120 : 75,
                AnkleLo = deep ? 25 : 14, AnkleHi = deep ? 32 : 20,
                RestLo = 1.0, RestHi = 2.5,
            };
        }

        /// <summary>A stoop pick-up: nearly straight knees, the torso down 75–95° mostly from the spine (trunk flexion 30–45°).</summary>
        public static LiftStyle Stoop => new()
        {
            Pattern = RepPattern.Stoop, DescentLo = 1.0, DescentHi = 1.8, PauseLo = 0.3, PauseHi = 1.0, AscentLo = 1.0, AscentHi = 1.8,
            DepthLo = 75, DepthHi = 95, ShareLo = 0.5, ShareHi = 0.62, KneeLo = 0, KneeHi = 6, AnkleLo = 0, AnkleHi = 3,
            RestLo = 2.0, RestHi = 4.0, HeadLo = 2, HeadHi = 10,
        };

        /// <summary>A deadlift from the floor: a hinge with more knee bend, deeper, slower, a pause with the bar on the floor.</summary>
        public static LiftStyle Deadlift(double flexibility) => new()
        {
            Pattern = RepPattern.Hinge, DescentLo = 1.5, DescentHi = 2.5, PauseLo = 0.3, PauseHi = 1.2, AscentLo = 1.4, AscentHi = 2.2,
            DepthLo = 78, DepthHi = 88, DepthFlex = 8, ShareLo = 0.86, ShareHi = 0.91, ShareFlex = 0.03,
            KneeLo = 35, KneeHi = 50, AnkleLo = 10, AnkleHi = 15, RestLo = 1.5, RestHi = 3.0,
        };

        /// <summary>A kettlebell swing: a fast ballistic hinge, ~1 s a rep, straight into the next.</summary>
        public static LiftStyle Swing => new()
        {
            Pattern = RepPattern.Hinge, DescentLo = 0.4, DescentHi = 0.55, PauseLo = 0, PauseHi = 0.05, AscentLo = 0.4, AscentHi = 0.55,
            DepthLo = 55, DepthHi = 75, ShareLo = 0.88, ShareHi = 0.93, KneeLo = 15, KneeHi = 25, AnkleLo = 3, AnkleHi = 7,
            RestLo = 0.05, RestHi = 0.2, LastRest = 1.5,
        };
    }
}
