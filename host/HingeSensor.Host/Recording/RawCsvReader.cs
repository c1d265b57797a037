using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CsvHelper;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Host.IO;

namespace HingeSensor.Host.Recording
{
    /// <summary>
    /// Streams a raw recording (format v1, gzip or plain): metadata first, then rows one at a time,
    /// so hours of data never sit in memory. Every problem is a <see cref="DataFormatException"/>
    /// naming the line and what is wrong: a missing column, a short row, a word where a number
    /// should be, NaN or infinity, time that does not increase, a gap in the sampling.
    /// </summary>
    public sealed class RawCsvReader
    {
        /// <summary>A step longer than this many nominal sample periods is a gap, not jitter.</summary>
        public const double GapPeriods = 5;

        private readonly string _path;

        public RawCsvReader(string path)
        {
            _path = path;
            Metadata = ReadMetadata(path, out _metadataLines);
        }

        private readonly int _metadataLines;

        public RawMetadata Metadata { get; }

        public static RawMetadata ReadMetadata(string path, out int lines)
        {
            var meta = new RawMetadata();
            lines = 0;
            using Stream s = InputFile.OpenRead(path);
            using var reader = new StreamReader(s);
            string? line;
            while ((line = InputFile.ReadLine(reader, path, lines + 1)) != null)
            {
                if (!line.StartsWith('#')) break;
                lines++;
                string body = line[1..].Trim();
                if (body.Length == 0) continue;
                int eq = body.IndexOf('=');
                if (eq <= 0) continue; // a plain comment
                string key = body[..eq].Trim(), value = body[(eq + 1)..].Trim();
                meta.All[key] = value;
                switch (key)
                {
                    case "neutral": meta.Neutral = Window(path, lines, key, value); break;
                    case "hinge_calibration": meta.HingeCalibration = Window(path, lines, key, value); break;
                    case "range_calibration": meta.RangeCalibration = Window(path, lines, key, value); break;
                    case "height_cm": meta.HeightCm = Number(path, lines, key, value, 100, 250); break;
                    case "rate_hz": meta.RateHz = Number(path, lines, key, value, 1, 10000); break;
                    case "accel_range_g": meta.AccelRangeG = Number(path, lines, key, value, 1, 64); break;
                    case "gyro_range_dps": meta.GyroRangeDps = Number(path, lines, key, value, 100, 10000); break;
                }
            }
            return meta;
        }

        private static TimeWindow Window(string path, long line, string key, string value)
        {
            if (TimeWindow.TryParse(value, out TimeWindow w)) return w;
            throw new DataFormatException(path, line, $"'{key}={value}' is not a window <t0>-<t1> in seconds with t0 < t1");
        }

        private static double Number(string path, long line, string key, string value, double lo, double hi)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= lo && v <= hi) return v;
            throw new DataFormatException(path, line, $"'{key}={value}' is not a number in {lo}-{hi}");
        }

        /// <summary>The rows, in order. The same <see cref="RawRow"/> object is reused: copy what you keep.</summary>
        public IEnumerable<RawRow> Rows()
        {
            using Stream stream = InputFile.OpenRead(_path);
            using CsvReader csv = CsvReader.Create(stream, CsvReaderOptions.Default with
            {
                Separator = ',', CommentPrefix = '#', TrackLineNumbers = true, FieldCountMismatch = CsvFieldCountHandling.Allow,
            });
            IReadOnlyList<string> headers;
            try { headers = csv.Headers; }
            catch (InvalidDataException e) { throw new DataFormatException(_path, _metadataLines + 1, e.Message); }
            catch (Exception e) when (e is not DataFormatException) { throw new DataFormatException(_path, _metadataLines + 1, "cannot read the header: " + e.Message); }
            if (headers.Count == 0) throw new DataFormatException(_path, _metadataLines + 1, "no header line");
            int[] index = new int[RawCsvFormat.Header.Count];
            for (int i = 0; i < index.Length; i++)
            {
                index[i] = -1;
                for (int h = 0; h < headers.Count; h++)
                    if (string.Equals(headers[h].Trim(), RawCsvFormat.Header[i], StringComparison.Ordinal)) { index[i] = h; break; }
                if (index[i] < 0)
                    throw new DataFormatException(_path, _metadataLines + 1, $"header has no column '{RawCsvFormat.Header[i]}' (expected {string.Join(",", RawCsvFormat.Header)})");
            }

            double accelRail = Metadata.AccelRangeG is double g ? 0.999 * g * 9.80665 : double.PositiveInfinity;
            double gyroRail = Metadata.GyroRangeDps is double d ? 0.999 * d * Math.PI / 180 : double.PositiveInfinity;
            double? period = Metadata.RateHz is double hz ? 1 / hz : null;
            var firstSteps = new List<double>();
            var row = new RawRow();
            double lastT = double.NaN;
            long lastLine = 0;
            while (ReadRecord(csv))
            {
                long line = csv.LineNumber;
                if (csv.FieldCount != headers.Count)
                    throw new DataFormatException(_path, line, $"row has {csv.FieldCount} fields, the header has {headers.Count}");
                double t = Field(csv, index[0], line, "t_s");
                if (!double.IsNaN(lastT))
                {
                    double dt = t - lastT;
                    if (!(dt > 0)) throw new DataFormatException(_path, line, $"time {Fmt(t)} s does not increase (line {lastLine} has {Fmt(lastT)} s)");
                    if (period is null)
                    {
                        // No rate given: learn the period from the first steps (their median).
                        firstSteps.Add(dt);
                        if (firstSteps.Count == 16) { firstSteps.Sort(); period = firstSteps[8]; }
                    }
                    if (period is double p && dt > GapPeriods * p)
                        throw new DataFormatException(_path, line, $"gap of {Fmt(dt)} s after t = {Fmt(lastT)} s (line {lastLine}); the sample period is {Fmt(p)} s");
                }
                row.Line = line;
                row.TimeS = t;
                for (int s = 0; s < 3; s++)
                {
                    int b = 1 + 6 * s;
                    Vector3 a = new((float)Field(csv, index[b], line, RawCsvFormat.Header[b]), (float)Field(csv, index[b + 1], line, RawCsvFormat.Header[b + 1]), (float)Field(csv, index[b + 2], line, RawCsvFormat.Header[b + 2]));
                    Vector3 w = new((float)Field(csv, index[b + 3], line, RawCsvFormat.Header[b + 3]), (float)Field(csv, index[b + 4], line, RawCsvFormat.Header[b + 4]), (float)Field(csv, index[b + 5], line, RawCsvFormat.Header[b + 5]));
                    row.Accel[s] = a;
                    row.Gyro[s] = w;
                    row.AccelClipped[s] = Math.Abs(a.X) >= accelRail || Math.Abs(a.Y) >= accelRail || Math.Abs(a.Z) >= accelRail;
                    row.GyroClipped[s] = Math.Abs(w.X) >= gyroRail || Math.Abs(w.Y) >= gyroRail || Math.Abs(w.Z) >= gyroRail;
                }
                lastT = t;
                lastLine = line;
                yield return row;
            }
            if (double.IsNaN(lastT)) throw new DataFormatException(_path, 0, "no data rows after the header");
        }

        private bool ReadRecord(CsvReader csv)
        {
            try { return csv.Read(); }
            catch (InvalidDataException e) { throw new DataFormatException(_path, csv.LineNumber + 1, e.Message); } // the gzip stream under the text
            catch (Exception e) when (e is not DataFormatException) { throw new DataFormatException(_path, csv.LineNumber, "malformed CSV: " + e.Message); }
        }

        private double Field(CsvReader csv, int index, long line, string column)
        {
            ReadOnlySpan<byte> raw = csv.GetSpan(index);
            if (raw.Length == 0) throw new DataFormatException(_path, line, $"column '{column}' is empty");
            if (!csv.TryParse(index, out double v))
                throw new DataFormatException(_path, line, $"column '{column}' is not a number: '{Truncate(System.Text.Encoding.UTF8.GetString(raw))}'");
            if (!double.IsFinite(v)) throw new DataFormatException(_path, line, $"column '{column}' is {(double.IsNaN(v) ? "NaN" : "infinite")}");
            return v;
        }

        private static string Truncate(string s) => s.Length <= 24 ? s : s[..24] + "…";
        private static string Fmt(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
    }
}
