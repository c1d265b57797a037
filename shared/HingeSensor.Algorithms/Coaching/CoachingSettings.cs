namespace HingeSensor.Algorithms.Coaching
{
    /// <summary>
    /// The coaching beyond the dowel line: pattern, depth, lockout, tempo (issue 12). Defaults and
    /// their reasons: ../shared/docs/biomechanics.md and the README's cue table.
    /// </summary>
    public sealed class CoachingSettings
    {
        /// <summary>What the wearer is training. Default Hinge.</summary>
        public Exercise Exercise = Exercise.Hinge;

        /// <summary>
        /// A short positive tick when the torso reaches the target depth. Default on; posture mode
        /// (<see cref="Alignment.AlignmentSettings.AlwaysOn"/>) never ticks.
        /// </summary>
        public bool DepthCue = true;

        /// <summary>Target torso angle (upper-back inclination over neutral), degrees. Default 90°: horizontal.</summary>
        public float DepthTargetDeg = 90f;

        /// <summary>The target counts as reached this far short of it, degrees. Default 10°.</summary>
        public float DepthToleranceDeg = 10f;

        /// <summary>
        /// The target is the wearer's own end range instead of <see cref="DepthTargetDeg"/>: the
        /// mean depth of their last <see cref="OwnDepthReps"/> clean hinges (no fault while the
        /// rep lasted: as deep as they went without the line breaking; once learned, only those that
        /// reached it — a lazy shallow rep does not lower it). Until that many are
        /// counted since the last calibration (or start-up), the fixed target holds. Default off: a stiff wearer
        /// who never reaches horizontal opts in to be told when they reach their own depth.
        /// </summary>
        public bool OwnDepth = false;

        /// <summary>Clean hinges the own end range is the mean of. Default 3: a warm-up set teaches it.</summary>
        public int OwnDepthReps = 3;

        /// <summary>
        /// A rep has locked out when the torso is back within this many degrees of neutral,
        /// degrees. Default 8°: walking and weight shifts sway the upper back by ~5°.
        /// </summary>
        public float LockoutToleranceDeg = 8f;

        /// <summary>Leaning back / lumbar over-extension at the top: extension beyond neutral by more than this, degrees. Default 10°.</summary>
        public float OverExtensionDeg = 10f;

        /// <summary>Tempo target for the descent, s; 0 = no target. Default 0.</summary>
        public float DescentTargetS;

        /// <summary>A descent shorter than this share of the target earns the fast-descent cue. Default 0.5.</summary>
        public float FastDescentRatio = 0.5f;

        /// <summary>
        /// The lockout is judged over this long after the torso passes back through the standing
        /// band, s; the rep is reported at its end (or when the next rep starts). Default 0.5 s:
        /// leaning back happens in the last moment of the ascent, and the shortest rest between
        /// reps is 0.8 s.
        /// </summary>
        public float LockoutWindowS = 0.5f;

        /// <summary>
        /// A rep that stops rising this long above the standing band, once it has come back up at
        /// least half its depth, ends there with an incomplete lockout, s. Default 0.8 s: a smooth
        /// ascent gains a degree every few tens of milliseconds; a wearer who stops short and goes
        /// again must not merge two reps into one.
        /// </summary>
        public float StallS = 0.8f;
    }
}
