using System;

namespace HingeSensor.TestSupport
{
    /// <summary>
    /// The config record's limits read straight from docs/protocol.md §9.2, byte by byte and
    /// without the product's decoder: the oracle the fuzz campaigns hold an accepted config to.
    /// </summary>
    public static class ConfigRecordLimits
    {
        /// <summary>Null when <paramref name="r"/> is a whole, valid config record; otherwise the first field outside §9.2.</summary>
        public static string? Violation(ReadOnlySpan<byte> r)
        {
            if (r.Length < 1) return "empty";
            // Version 2 (firmware 1.2) adds exercise, depth target and descent target before the name; version 1 still reads.
            int version = r[0];
            if (version is not (1 or 2)) return $"version {version}";
            int fixedBytes = version == 2 ? 30 : 26;
            if (r.Length < fixedBytes + 1 || r.Length > fixedBytes + 20) return $"length {r.Length} outside {fixedBytes + 1}-{fixedBytes + 20}";
            if ((r[1] & ~(version == 2 ? 31 : 7)) != 0) return $"flags 0x{r[1]:x2}";
            byte[] b = r.ToArray();
            int U16(int at) => b[at] | (b[at + 1] << 8);
            static string? Range(string field, int v, int lo, int hi) => v < lo || v > hi ? $"{field} {v} outside {lo}-{hi}" : null;
            string? bad = Range("back rounding", U16(2), 50, 900) ?? Range("back rounding %", r[4], 20, 100)
                ?? Range("chin drop", U16(5), 50, 900) ?? Range("head up", U16(7), 50, 900)
                ?? Range("hysteresis", U16(9), 0, 200) ?? Range("persistence", U16(11), 0, 5000)
                ?? Range("gate open", U16(13), 0, 1200) ?? Range("gate close", U16(15), 0, U16(13) - 1)
                ?? Range("reminder", U16(17), 0, 600) ?? Range("cooldown", U16(19), 0, 600)
                ?? Range("haptic intensity", r[21], 0, 100);
            if (bad != null) return bad;
            if (r[22] is not (1 or 5 or 25)) return $"record rate {r[22]}";
            if (r[23] is not (1 or 5 or 25)) return $"live rate {r[23]}";
            if (r[24] < 100 || r[24] > 250) return $"height {r[24]}";
            if (version == 2)
            {
                bad = Range("exercise", r[25], 0, 2) ?? Range("depth target", U16(26), 300, 1200) ?? Range("descent target", r[28], 0, 100);
                if (bad != null) return bad;
            }
            int n = r[fixedBytes - 1];
            if (n < 1 || n > 20 || r.Length != fixedBytes + n) return $"name length {n} in a record of {r.Length} bytes";
            for (int i = 0; i < n; i++)
                if (r[fixedBytes + i] < 0x20 || r[fixedBytes + i] > 0x7E) return $"name byte 0x{r[fixedBytes + i]:x2}";
            return null;
        }
    }
}
