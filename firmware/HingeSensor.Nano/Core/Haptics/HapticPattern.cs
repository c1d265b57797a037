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
                default: return new int[0];
            }
        }

        /// <summary>Relative strength: "corrected" is a soft tick, not an alarm.</summary>
        public static float Strength(HapticPattern p) { return p == HapticPattern.Corrected ? 0.6f : 1f; }
    }
}
