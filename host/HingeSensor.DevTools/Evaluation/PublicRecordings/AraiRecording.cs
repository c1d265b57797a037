using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using CsvHelper;
using HingeSensor.Host.IO;
using HingeSensor.Host.Recording;

namespace HingeSensor.DevTools.Evaluation.PublicRecordings
{
    /// <summary>
    /// A labelled recording of the SpineWise wearables (github:Arai-4-Data-Analysis-Team/Wearables-Data-Analysis,
    /// data/labeled/ at commit a648109): one person, a sensor in the collar at the neck (columns
    /// "_n") and one on the hip belt ("_r"), 25 Hz, acceleration in g and rate in °/s, and per
    /// sample the authors' labels ("label2": e.g. "buiging-benen_gestrekt", a straight-legged
    /// bend). There is no upper-back or head sensor: the neck sensor stands in for both — so the
    /// "upper back" leans with the cervical spine too, and the head's own flexion reads zero.
    /// </summary>
    public static class AraiRecording
    {
        public const double RateHz = 25;
        public const string Mapping = "upper back = neck (collar) sensor; sacrum = hip-belt sensor; head = neck sensor again (no head or upper-back sensor)";

        private static readonly string[] Channels = { "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z" };

        /// <summary>The labelled CSV files under data/labeled/ (in name order).</summary>
        public static List<string> FindFiles(string datasetRoot)
        {
            string labeled = Path.Combine(datasetRoot, "data", "labeled");
            if (!Directory.Exists(labeled))
                throw new DirectoryNotFoundException($"{datasetRoot}: no data/labeled/ folder (clone github:Arai-4-Data-Analysis-Team/Wearables-Data-Analysis and check out a648109)");
            var files = new List<string>(Directory.GetFiles(labeled, "*.csv", SearchOption.AllDirectories));
            files.Sort(StringComparer.Ordinal);
            return files;
        }

        /// <summary>The recording's name: its folder under data/labeled ("movement", "calibration").</summary>
        public static string NameOf(string file) => Path.GetFileName(Path.GetDirectoryName(file)!);

        /// <summary>
        /// Converts one labelled file to raw format v1 at <paramref name="outPath"/>. Time comes from
        /// the neck sensor's sample counter; a row whose counter does not advance repeats the one
        /// before (the files end with such a row) and is left out.
        /// </summary>
        public static PublicRecording Convert(string file, string outPath)
        {
            var labels = new List<LabeledSpan>();
            int rows = 0;
            double lastT = 0;
            using (Stream input = InputFile.OpenRead(file))
            using (CsvReader csv = CsvReader.Create(input, CsvReaderOptions.Default with { Separator = ',', TrackLineNumbers = true }))
            {
                IReadOnlyList<string> headers = csv.Headers;
                int[] neck = Indexes(file, headers, "_n"), hip = Indexes(file, headers, "_r");
                int counter = Index(file, headers, "ts_n"), label = Index(file, headers, "label2");
                var meta = new List<KeyValuePair<string, string>>
                {
                    new("source", "Arai-4-Data-Analysis-Team/Wearables-Data-Analysis@a648109 data/labeled/" + NameOf(file)),
                    new("mapping", Mapping),
                    new("rate_hz", "25"),
                };
                using FileStream outFile = File.Create(outPath);
                using var writer = new RawCsvWriter(outFile, meta);
                var values = new double[18];
                double first = double.NaN, last = double.NaN;
                while (csv.Read())
                {
                    long line = csv.LineNumber;
                    double count = Number(csv, file, line, counter, "ts_n");
                    if (!double.IsNaN(last) && count <= last) continue;
                    if (double.IsNaN(first)) first = count;
                    last = count;
                    double t = (count - first) / RateHz;
                    Fill(csv, file, line, neck, values.AsSpan(0, 6));
                    values.AsSpan(0, 6).CopyTo(values.AsSpan(6, 6));
                    Fill(csv, file, line, hip, values.AsSpan(12, 6));
                    writer.Write(t, values);
                    AddLabel(labels, Encoding.UTF8.GetString(csv.GetSpan(label)).Trim(), t);
                    lastT = t;
                    rows++;
                }
            }
            if (rows == 0) throw new DataFormatException(file, 0, "no samples after the header");
            if (labels.Count > 0) labels[^1] = labels[^1] with { EndS = lastT + 1 / RateHz };
            return new PublicRecording("Arai", NameOf(file), outPath, lastT, Mapping) { Labels = labels, Setting = "one person standing, walking, bending, arms overhead" };
        }

        private static void AddLabel(List<LabeledSpan> labels, string label, double t)
        {
            if (labels.Count > 0 && labels[^1].Label == label) return;
            if (labels.Count > 0) labels[^1] = labels[^1] with { EndS = t };
            labels.Add(new LabeledSpan(label, t, t));
        }

        private static void Fill(CsvReader csv, string file, long line, int[] index, Span<double> into)
        {
            float Get(int c) => (float)Number(csv, file, line, index[c], Channels[c]);
            UnitConversion.Fill(into, Get(0), Get(1), Get(2), Get(3), Get(4), Get(5));
        }

        private static double Number(CsvReader csv, string file, long line, int index, string column)
        {
            if (!csv.TryParse(index, out double v) || !double.IsFinite(v))
                throw new DataFormatException(file, line, $"column '{column}' is not a number: '{Encoding.UTF8.GetString(csv.GetSpan(index))}'");
            return v;
        }

        private static int[] Indexes(string file, IReadOnlyList<string> headers, string suffix)
        {
            var index = new int[Channels.Length];
            for (int c = 0; c < Channels.Length; c++) index[c] = Index(file, headers, Channels[c] + suffix);
            return index;
        }

        private static int Index(string file, IReadOnlyList<string> headers, string name)
        {
            for (int i = 0; i < headers.Count; i++)
                if (string.Equals(headers[i].Trim(), name, StringComparison.Ordinal)) return i;
            throw new DataFormatException(file, 1, $"header has no column '{name}': not a SpineWise labelled export");
        }
    }
}
