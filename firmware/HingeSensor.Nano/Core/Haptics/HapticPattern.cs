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
        Identify = 1,
        Corrected = 2,
        CalibrationDone = 3,
        CalibrationFailed = 4,
        HeadUp = 5,
        ChinDrop = 6,
        BackRounding = 7,
        StorageFull = 8,
        SensorFault = 9,

        // Answers to the wearer's own hand (the button): above every coaching pattern, played even
        // in quiet mode and at a floor of strength, because the wearer is waiting to feel them.

        /// <summary>The hold passed the long-press mark: release now to start or stop recording.</summary>
        ButtonTick = 10,

        /// <summary>The pairing passkey, repeated while the window is open (rhythm made per window).</summary>
        PairingPasskey = 11,
        PairingOpened = 12,
        Paired = 13,
        PairingClosed = 14,

        /// <summary>The window did not open: the bond list is full.</summary>
        BondsFull = 15,
        BondsCleared = 16,
    }

    /// <summary>The rhythm of each pattern: alternating on and off durations, ms, starting with on.</summary>
    public static class HapticRhythm
    {
        private static readonly int[] IdentifyMs = { 200, 200, 200, 200, 200 };
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
                case HapticPattern.Identify: return IdentifyMs;
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

        /// <summary>Relative strength: "corrected" is a soft tick, not an alarm.</summary>
        public static float Strength(HapticPattern p) { return p == HapticPattern.Corrected ? 0.6f : 1f; }

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
