namespace HingeSensor.Nano.Core.Haptics
{
    /// <summary>
    /// Something the wearer must feel. Each has its own rhythm so it can be told apart without
    /// looking: pulses of about 150 ms repeated 2-3 times are what the literature finds best
    /// perceived. Numeric values double as priority (higher preempts lower).
    /// </summary>
    public enum HapticPattern
    {
        None = 0,
        /// <summary>Positive: the torso reached the target depth. The softest, lowest pattern: it never cuts into anything.</summary>
        DepthReached = 1,
        Identify = 2,
        Corrected = 3,
        CalibrationDone = 4,
        CalibrationFailed = 5,

        // The movement's coaching (CoachingCue): below every dowel-line fault, which matters more
        // for the back than tempo or pattern, and above the acknowledgements.

        /// <summary>"Slow down": the descent was much faster than the tempo target.</summary>
        FastDescent = 6,
        /// <summary>"Finish tall": the rep ended short of standing.</summary>
        IncompleteLockout = 7,
        /// <summary>"Don't lean back": extension beyond neutral at the top.</summary>
        LeaningBack = 8,
        /// <summary>"Hips back": the wearer squats while training a hinge.</summary>
        Squatting = 9,

        HeadUp = 10,
        ChinDrop = 11,
        BackRounding = 12,
        StorageFull = 13,
        SensorFault = 14,

        // Answers to the wearer's own hand (the button): above every coaching pattern, played even
        // in quiet mode and at a floor of strength, because the wearer is waiting to feel them.

        /// <summary>The hold passed the long-press mark: release now to start or stop recording.</summary>
        ButtonTick = 15,

        /// <summary>The pairing passkey, repeated while the window is open (rhythm made per window).</summary>
        PairingPasskey = 16,
        PairingOpened = 17,
        Paired = 18,
        PairingClosed = 19,

        /// <summary>The window did not open: the bond list is full.</summary>
        BondsFull = 20,
        BondsCleared = 21,
    }

    /// <summary>The rhythm of each pattern: alternating on and off durations, ms, starting with on.</summary>
    public static class HapticRhythm
    {
        // Two quick soft taps: "there" (the single tap of Corrected says "back in line").
        private static readonly int[] DepthReachedMs = { 40, 60, 40 };
        private static readonly int[] IdentifyMs = { 200, 200, 200, 200, 200 };
        // Three slow, evenly spaced pulses: "slow down".
        private static readonly int[] FastDescentMs = { 250, 350, 250, 350, 250 };
        // Rising, short to long: "all the way up".
        private static readonly int[] IncompleteLockoutMs = { 80, 120, 250 };
        // Falling, long to short: "come forward" out of leaning back.
        private static readonly int[] LeaningBackMs = { 250, 120, 80 };
        // Long, then two short: "hips back" (no fault pattern starts long).
        private static readonly int[] SquattingMs = { 350, 120, 80, 120, 80 };
        private static readonly int[] CorrectedMs = { 50 };
        private static readonly int[] CalibrationDoneMs = { 100, 100, 300 };
        private static readonly int[] CalibrationFailedMs = { 60, 60, 60, 60, 60, 60, 60 };
        private static readonly int[] HeadUpMs = { 60, 90, 60, 90, 60 };
        private static readonly int[] ChinDropMs = { 150, 250, 150 };
        private static readonly int[] BackRoundingMs = { 150, 100, 150, 100, 150 };
        private static readonly int[] StorageFullMs = { 600 };
        private static readonly int[] SensorFaultMs = { 400, 150, 400 };
        private static readonly int[] ButtonTickMs = { 60 };
        // Three short, one long: "the window is open"; the passkey follows.
        private static readonly int[] PairingOpenedMs = { 100, 100, 100, 100, 100, 100, 800, 1500 };
        // Rising: short, short, long.
        private static readonly int[] PairedMs = { 100, 100, 100, 100, 700 };
        // Two long: closed without a pairing.
        private static readonly int[] PairingClosedMs = { 700, 300, 700 };
        private static readonly int[] BondsFullMs = { 600, 200, 100, 200, 100 };
        private static readonly int[] BondsClearedMs = { 80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 600 };

        /// <summary>Passkey playback: a marker, then per digit that many pulses, with these gaps (ms).</summary>
        public const int MarkerMs = 800, AfterMarkerMs = 1200, PulseMs = 200, InGroupGapMs = 300, BetweenGroupsMs = 1200, AfterPasskeyMs = 2500;

        /// <summary>Entries a passkey rhythm needs at most: marker and its gap, then on and off per pulse (six digits of at most five).</summary>
        public const int MaxPasskeyRhythm = 2 + 2 * 6 * 5;

        public static int[] Of(HapticPattern p)
        {
            switch (p)
            {
                case HapticPattern.DepthReached: return DepthReachedMs;
                case HapticPattern.Identify: return IdentifyMs;
                case HapticPattern.FastDescent: return FastDescentMs;
                case HapticPattern.IncompleteLockout: return IncompleteLockoutMs;
                case HapticPattern.LeaningBack: return LeaningBackMs;
                case HapticPattern.Squatting: return SquattingMs;
                case HapticPattern.Corrected: return CorrectedMs;
                case HapticPattern.CalibrationDone: return CalibrationDoneMs;
                case HapticPattern.CalibrationFailed: return CalibrationFailedMs;
                case HapticPattern.HeadUp: return HeadUpMs;
                case HapticPattern.ChinDrop: return ChinDropMs;
                case HapticPattern.BackRounding: return BackRoundingMs;
                case HapticPattern.StorageFull: return StorageFullMs;
                case HapticPattern.SensorFault: return SensorFaultMs;
                case HapticPattern.ButtonTick: return ButtonTickMs;
                case HapticPattern.PairingOpened: return PairingOpenedMs;
                case HapticPattern.Paired: return PairedMs;
                case HapticPattern.PairingClosed: return PairingClosedMs;
                case HapticPattern.BondsFull: return BondsFullMs;
                case HapticPattern.BondsCleared: return BondsClearedMs;
                default: return new int[0];
            }
        }

        /// <summary>Relative strength: the positive ones ("corrected", "depth reached") are soft, not alarms.</summary>
        public static float Strength(HapticPattern p)
        {
            if (p == HapticPattern.DepthReached) return 0.5f;
            return p == HapticPattern.Corrected ? 0.6f : 1f;
        }

        /// <summary>An answer to the wearer's own action (button, pairing): played even in quiet mode.</summary>
        public static bool AnswersTheWearer(HapticPattern p) { return p >= HapticPattern.ButtonTick; }

        /// <summary>
        /// Writes the playback of a passkey into <paramref name="into"/> (on/off durations, ms, from
        /// on): a long marker, then digit by digit that many short pulses, a longer gap between
        /// groups and a pause before the next repetition. Returns the entries used.
        /// </summary>
        public static int Passkey(int[] digits, int count, int[] into)
        {
            int n = 0;
            into[n++] = MarkerMs;
            into[n++] = AfterMarkerMs;
            for (int d = 0; d < count; d++)
            {
                for (int p = 1; p <= digits[d]; p++)
                {
                    into[n++] = PulseMs;
                    into[n++] = p < digits[d] ? InGroupGapMs : d < count - 1 ? BetweenGroupsMs : AfterPasskeyMs;
                }
            }
            return n;
        }
    }
}
