namespace HingeSensor.Algorithms.Alignment
{
    /// <summary>
    /// When the dowel line counts as broken and how the device speaks about it. Defaults and the
    /// reasons for them come from ../shared/docs/biomechanics.md; see the README's table.
    /// </summary>
    public sealed class AlignmentSettings
    {
        /// <summary>
        /// Back rounding: trunk flexion over neutral, degrees. Default 20°: half of the smallest
        /// lumbar range in the literature (≈40° in older adults, Troke et al.), where passive tissue
        /// load starts to rise steeply, and ≥ 5° above what a clean hinge shows (minimal detectable
        /// change 5–15°).
        /// </summary>
        public float BackRoundingDeg = 20f;

        /// <summary>
        /// Back rounding as a share of the wearer's range calibration, %. Used instead of the
        /// degrees when <see cref="UseRangePercent"/> is set and a range calibration exists.
        /// Default 70 % (PostureCoach; Boocock et al. used 80 %).
        /// </summary>
        public float BackRoundingPercent = 70f;

        /// <summary>Use <see cref="BackRoundingPercent"/> when a range calibration exists. Default false.</summary>
        public bool UseRangePercent;

        /// <summary>
        /// Chin drop: head flexion over the upper back, degrees. Default 15°: ergonomic guidance treats
        /// head tilt beyond ~15° as non-neutral, and a prior three-sensor product buzzed there.
        /// </summary>
        public float ChinDropDeg = 15f;

        /// <summary>Head cranked up: head extension relative to the upper back, degrees. Default 10° (the same prior product).</summary>
        public float HeadUpDeg = 10f;

        /// <summary>
        /// A fault ends only once the metric is this far back inside the threshold, degrees, so that
        /// sensor noise at the threshold does not chatter. Default 4°.
        /// </summary>
        public float HysteresisDeg = 4f;

        /// <summary>
        /// The condition must hold this long before the buzz, seconds. Default 0.2 s: persistence
        /// halved cue counts versus instant cues in the literature, and 200 ms is well under the
        /// time a hinge takes to go wrong.
        /// </summary>
        public float PersistenceS = 0.2f;

        /// <summary>The metric must stay back in line this long before "corrected", seconds. Default 0.1 s.</summary>
        public float ClearHoldS = 0.1f;

        /// <summary>
        /// Hinge gate: posture alerts speak only while the torso (upper back) is inclined at least
        /// this far, degrees, so standing, shifting, walking and sitting stay silent. Default 30°.
        /// </summary>
        public float GateOpenTorsoDeg = 30f;

        /// <summary>The gate closes again below this torso angle, degrees (hysteresis). Default 20°.</summary>
        public float GateCloseTorsoDeg = 20f;

        /// <summary>Posture mode: ignore the hinge gate and watch all the time. Default false.</summary>
        public bool AlwaysOn;

        /// <summary>While a fault persists, remind every this many seconds; 0 = once. Default 3 s.</summary>
        public float ReminderIntervalS = 3f;

        /// <summary>After a fault ends, the same fault may start again only after this many seconds. Default 1 s.</summary>
        public float CooldownS = 1f;

        public float ThresholdDeg(Fault fault, bool hasRange, float rangeTrunkFlexionDeg)
        {
            switch (fault)
            {
                case Fault.BackRounding:
                    if (UseRangePercent && hasRange && rangeTrunkFlexionDeg > 0f) return BackRoundingPercent * 0.01f * rangeTrunkFlexionDeg;
                    return BackRoundingDeg;
                case Fault.ChinDrop: return ChinDropDeg;
                case Fault.HeadUp: return HeadUpDeg;
                default: return float.MaxValue;
            }
        }
    }
}
