using System.Collections.Generic;

namespace HingeSensor.Host.Recording
{
    /// <summary>Raw recording format v1 (docs/raw-csv.md): one lockstep row of three IMUs per sample.</summary>
    public static class RawCsvFormat
    {
        public static readonly string[] Sensors = { "head", "upper", "sacrum" };
        public static readonly string[] Channels = { "ax", "ay", "az", "gx", "gy", "gz" };

        /// <summary>t_s, then head_ax … head_gz, upper_ax … upper_gz, sacrum_ax … sacrum_gz.</summary>
        public static IReadOnlyList<string> Header { get; } = BuildHeader();

        private static string[] BuildHeader()
        {
            var h = new List<string> { "t_s" };
            foreach (string s in Sensors)
                foreach (string c in Channels) h.Add(s + "_" + c);
            return h.ToArray();
        }
    }
}
