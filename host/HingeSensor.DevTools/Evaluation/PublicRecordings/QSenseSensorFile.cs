using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using HingeSensor.Host.IO;

namespace HingeSensor.DevTools.Evaluation.PublicRecordings
{
    /// <summary>
    /// One sensor's export from QSense Motion (the IMUs of the TrunkyXL study): a few "key: value"
    /// lines, a tab-separated header "ax ay az gx gy gz mx my mz", then one row per sample at the
    /// string's 50 Hz — acceleration in g, angular rate in °/s, magnetic field (unused: the product
    /// has no magnetometer), and sometimes a trailing word ("Reference") that we ignore.
    /// </summary>
    public sealed class QSenseSensorFile
    {
        private static readonly string[] Columns = { "ax", "ay", "az", "gx", "gy", "gz" };

        private QSenseSensorFile(string path, List<float[]> rows)
        {
            Path = path;
            Rows = rows;
        }

        public string Path { get; }

        /// <summary>Per sample: ax ay az (g), gx gy gz (°/s), in the sensor's own frame.</summary>
        public IReadOnlyList<float[]> Rows { get; }

        public static QSenseSensorFile Read(string path)
        {
            if (!File.Exists(path)) throw new DataFormatException(path, 0, "no such file");
            var rows = new List<float[]>();
            int[]? index = null;
            long line = 0;
            foreach (string text in File.ReadLines(path))
            {
                line++;
                if (index == null)
                {
                    if (text.StartsWith("ax\t", StringComparison.Ordinal)) index = HeaderIndex(path, line, text.Split('\t'));
                    continue;
                }
                if (text.Trim().Length == 0) continue; // the export leaves one empty line after the header
                string[] f = text.Split('\t');
                var row = new float[6];
                for (int c = 0; c < 6; c++)
                {
                    string field = index[c] < f.Length ? f[index[c]].Trim() : "";
                    if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                        throw new DataFormatException(path, line, $"column '{Columns[c]}' is not a number: '{field}'");
                    row[c] = v;
                }
                rows.Add(row);
            }
            if (index == null) throw new DataFormatException(path, 0, "no header line 'ax<TAB>ay<TAB>az<TAB>gx…': not a QSense sensor export");
            if (rows.Count == 0) throw new DataFormatException(path, 0, "no samples after the header");
            return new QSenseSensorFile(path, rows);
        }

        private static int[] HeaderIndex(string path, long line, string[] names)
        {
            var index = new int[6];
            for (int c = 0; c < 6; c++)
            {
                index[c] = Array.IndexOf(names, Columns[c]);
                if (index[c] < 0) throw new DataFormatException(path, line, $"header has no column '{Columns[c]}'");
            }
            return index;
        }
    }
}
