using System.Collections.Generic;
using System.Text;

namespace HingeSensor.VirtualDevice.Models
{
    /// <summary>
    /// Reads the pairing passkey back from the motor the way the wearer counts it: a long marker
    /// buzz, then six groups of short buzzes; each group's count is a digit. Only the motor's
    /// on/off times are used, so this checks that what the firmware plays can be counted.
    /// </summary>
    public static class PasskeyReader
    {
        private const double MarkerMinS = 0.7, MarkerMaxS = 0.9, ShortMaxS = 0.3, InGroupMaxGapS = 0.6;

        /// <summary>
        /// The first complete passkey played after <paramref name="fromS"/> ("314252"), or null if
        /// none was yet. A group counts once the pause after it is long enough to end it (the motor's
        /// clock, <see cref="MotorLog.NowS"/>, says how far the log goes).
        /// </summary>
        public static string? Read(MotorLog motor, double fromS, int digits = 6)
        {
            List<(double StartS, double LengthS)> pulses = motor.Pulses();
            for (int m = 0; m < pulses.Count; m++)
            {
                if (pulses[m].StartS < fromS || pulses[m].LengthS < MarkerMinS || pulses[m].LengthS > MarkerMaxS) continue;
                string? passkey = GroupsAfter(pulses, m + 1, digits, motor.NowS);
                if (passkey != null) return passkey;
            }
            return null;
        }

        private static string? GroupsAfter(List<(double StartS, double LengthS)> pulses, int i, int digits, double nowS)
        {
            var passkey = new StringBuilder();
            while (passkey.Length < digits)
            {
                if (i >= pulses.Count || pulses[i].LengthS > ShortMaxS) return null;
                int count = 1;
                while (i + 1 < pulses.Count && pulses[i + 1].LengthS <= ShortMaxS
                       && pulses[i + 1].StartS - (pulses[i].StartS + pulses[i].LengthS) < InGroupMaxGapS)
                {
                    i++;
                    count++;
                }
                // The last pulse seen may not be the group's last: wait for the pause that closes it.
                if (i + 1 >= pulses.Count && nowS - (pulses[i].StartS + pulses[i].LengthS) < InGroupMaxGapS) return null;
                passkey.Append(count);
                i++;
            }
            return passkey.ToString();
        }
    }
}
