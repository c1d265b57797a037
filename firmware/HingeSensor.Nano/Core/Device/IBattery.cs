namespace HingeSensor.Nano.Core.Device
{
    /// <summary>The LiPo, read through a divider on an ADC pin (and the charger's status pin).</summary>
    public interface IBattery
    {
        int Millivolts { get; }
        bool Charging { get; }
    }

    /// <summary>State of charge of a single LiPo cell from its resting voltage (piecewise linear).</summary>
    public static class LiPo
    {
        private static readonly int[] Mv = { 3300, 3500, 3600, 3700, 3750, 3800, 3850, 3900, 4000, 4100, 4200 };
        private static readonly int[] Pct = { 0, 5, 10, 20, 30, 40, 50, 60, 75, 90, 100 };

        public static int Percent(int millivolts)
        {
            if (millivolts <= Mv[0]) return 0;
            for (int i = 1; i < Mv.Length; i++)
                if (millivolts <= Mv[i]) return Pct[i - 1] + (Pct[i] - Pct[i - 1]) * (millivolts - Mv[i - 1]) / (Mv[i] - Mv[i - 1]);
            return 100;
        }
    }
}
