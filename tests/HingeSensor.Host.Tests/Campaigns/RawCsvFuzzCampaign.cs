using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using HingeSensor.Host.IO;
using HingeSensor.Host.Recording;
using HingeSensor.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// Raw recordings as `hinge analyze` reads them (RawCsvReader, plain and gzip), mutated from a
    /// file RawCsvWriter wrote: bytes flipped, set, cut, grown, spliced; lines duplicated, removed,
    /// swapped; a field inserted into a row; the gzip stream's header and trailer damaged, and
    /// gzip over mutated text. Goal: the file reads, and then it is a recording docs/raw-csv.md
    /// allows and the rows are its rows; or it throws DataFormatException naming the file — never
    /// another exception.
    /// </summary>
    public class RawCsvFuzzCampaign
    {
        private readonly ITestOutputHelper _out;

        public RawCsvFuzzCampaign(ITestOutputHelper output) => _out = output;

        private static byte[] Written()
        {
            var m = new MemoryStream();
            var meta = new Dictionary<string, string> { ["neutral"] = "0.1-0.3", ["hinge_calibration"] = "0.3-0.5", ["rate_hz"] = "100", ["accel_range_g"] = "4", ["height_cm"] = "178" };
            using (var w = new RawCsvWriter(m, meta))
            {
                var v = new double[18];
                for (int i = 0; i < 60; i++)
                {
                    for (int k = 0; k < 18; k++) v[k] = (k % 6 == 2 ? 9.80665 : 0) + Math.Sin(i * 0.1 + k) * (k % 6 < 3 ? 0.5 : 0.05);
                    w.Write(i * 0.01, v);
                }
            }
            return m.ToArray();
        }

        private static byte[] Gzip(byte[] plain)
        {
            var m = new MemoryStream();
            using (var z = new GZipStream(m, CompressionLevel.Fastest, leaveOpen: true)) z.Write(plain);
            return m.ToArray();
        }

        /// <summary>The same text with its lines moved about: a line duplicated, removed or swapped with the next, or a field inserted.</summary>
        private static Mutation LineMutation(byte[] text, Random rng)
        {
            var lines = Encoding.UTF8.GetString(text).Split('\n').ToList();
            int at = rng.Next(Math.Max(1, lines.Count - 1)); // not the empty one after the last \n
            string said;
            switch (at + 1 < lines.Count ? rng.Next(4) : 0)
            {
                case 0: lines.Insert(at, lines[at]); said = $"line {at + 1} duplicated"; break;
                case 1: lines.RemoveAt(at); said = $"line {at + 1} removed"; break;
                case 2: (lines[at], lines[at + 1]) = (lines[at + 1], lines[at]); said = $"lines {at + 1} and {at + 2} swapped"; break;
                default:
                    {
                        var fields = lines[at].Split(',').ToList();
                        int f = rng.Next(fields.Count + 1);
                        fields.Insert(f, rng.Next(2) == 0 ? "0.5" : "");
                        lines[at] = string.Join(",", fields);
                        said = $"a field inserted in line {at + 1} at {f}";
                        break;
                    }
            }
            return new Mutation(Encoding.UTF8.GetBytes(string.Join("\n", lines)), said);
        }

        [Fact]
        public void Mutated_recordings_read_as_a_valid_recording_or_fail_naming_the_file()
        {
            int cases = CampaignScale.Size(4_000, 80_000);
            byte[] plain = Written(), gz = Gzip(plain);
            var mutator = new Mutator(1701);
            var tally = new FuzzTally("raw-csv", typeof(DataFormatException));
            using var dir = new TempDir();
            string path = dir.File("recording.csv");
            for (int i = 0; i < cases; i++)
            {
                var rng = new Random(i);
                bool zipped = i % 2 == 1;
                Mutation m;
                switch (i % 6)
                {
                    case 0: m = mutator.Next(plain, i); break;
                    case 2: m = LineMutation(plain, rng); break;
                    case 4: m = LineMutation(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(mutator.Next(plain, i).Bytes)), rng); break;
                    case 1:
                        {
                            // The gzip header (10 bytes) and trailer (8) more often than their share of the file.
                            m = mutator.Next(gz, i);
                            if (rng.Next(2) == 0)
                            {
                                byte[] b = (byte[])gz.Clone();
                                int p = rng.Next(2) == 0 ? rng.Next(10) : b.Length - 1 - rng.Next(8);
                                b[p] ^= (byte)(1 << rng.Next(8));
                                m = new Mutation(b, $"gzip {(p < 10 ? "header" : "trailer")} byte {p} flipped");
                            }
                            break;
                        }
                    case 3: m = mutator.Next(gz, i); break;
                    default:
                        {
                            Mutation t = rng.Next(2) == 0 ? mutator.Next(plain, i) : LineMutation(plain, rng);
                            m = new Mutation(Gzip(t.Bytes), "gzip of text with " + t.Description);
                            break;
                        }
                }
                File.WriteAllBytes(path, m.Bytes);
                tally.Run(() => $"{(zipped ? "gzip" : "plain")} {mutator.Reproduce(i)} (lines: new Random({i})): {m.Description}", () =>
                {
                    var rows = new List<double>();
                    try
                    {
                        var reader = new RawCsvReader(path);
                        foreach (RawRow row in reader.Rows()) rows.Add(row.TimeS);
                    }
                    catch (DataFormatException e) when (e.File == path && e.Message.StartsWith(path, StringComparison.Ordinal)) { return null; }
                    catch (DataFormatException e) { return $"a refusal that does not name the file: '{e.Message}'"; }
                    byte[] text = m.Bytes;
                    if (text.Length >= 2 && text[0] == 0x1f && text[1] == 0x8b)
                    {
                        try { text = Gunzip(text); }
                        catch (InvalidDataException e) { return "a damaged gzip stream was read: " + e.Message; }
                    }
                    return Violation(Encoding.UTF8.GetString(text), rows);
                });
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        /// <summary>The whole gzip stream, its one member checked by length and CRC-32 (what gzip -t checks); damage throws.</summary>
        private static byte[] Gunzip(byte[] gz)
        {
            using var z = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
            var m = new MemoryStream();
            z.CopyTo(m);
            byte[] text = m.ToArray();
            if (gz.Length < 18) throw new InvalidDataException("no trailer");
            uint crc = BitConverter.ToUInt32(gz, gz.Length - 8), length = BitConverter.ToUInt32(gz, gz.Length - 4);
            if (length != (uint)text.Length || crc != System.IO.Hashing.Crc32.HashToUInt32(text)) throw new InvalidDataException("the trailer does not match");
            return text;
        }

        /// <summary>
        /// "" when <paramref name="text"/> is a recording of docs/raw-csv.md whose rows are at the
        /// times <paramref name="read"/>; otherwise what is wrong. Read here on its own, line by line.
        /// </summary>
        private static string Violation(string text, List<double> read)
        {
            string[] lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToArray();
            int k = 0;
            double? rate = null;
            for (; k < lines.Length && lines[k].StartsWith('#'); k++)
            {
                string body = lines[k][1..].Trim();
                int eq = body.IndexOf('=');
                if (eq <= 0) continue;
                string key = body[..eq].Trim(), value = body[(eq + 1)..].Trim();
                bool Number(double lo, double hi, out double v) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && v >= lo && v <= hi;
                switch (key)
                {
                    case "neutral" or "hinge_calibration" or "range_calibration":
                        if (!TimeWindow.TryParse(value, out _)) return $"metadata '{key}={value}' taken";
                        break;
                    case "height_cm": if (!Number(100, 250, out _)) return $"metadata '{key}={value}' taken"; break;
                    case "rate_hz": if (!Number(1, 10000, out double hz)) return $"metadata '{key}={value}' taken"; rate = hz; break;
                    case "accel_range_g": if (!Number(1, 64, out _)) return $"metadata '{key}={value}' taken"; break;
                    case "gyro_range_dps": if (!Number(100, 10000, out _)) return $"metadata '{key}={value}' taken"; break;
                }
            }
            if (k == lines.Length) return "a file without a header was read";
            string[] header = lines[k].Split(',').Select(h => h.Trim()).ToArray();
            foreach (string name in RawCsvFormat.Header)
                if (!header.Contains(name)) return $"a header without '{name}' was read";
            var times = new List<double>();
            for (k++; k < lines.Length; k++)
            {
                if (lines[k].Length == 0 || lines[k].StartsWith('#')) continue;
                string[] fields = lines[k].Split(',');
                if (fields.Length != header.Length) return $"line {k + 1} has {fields.Length} fields, the header {header.Length}";
                foreach (string name in RawCsvFormat.Header)
                {
                    string f = fields[Array.IndexOf(header, name)];
                    // A number as .NET's invariant culture reads one: spaces around it are not a different number.
                    if (f.Length == 0 || !double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                        return $"line {k + 1}: '{f}' taken as {name}";
                    if (name == "t_s") times.Add(v);
                }
            }
            if (times.Count == 0) return "a file without rows was read";
            for (int t = 1; t < times.Count; t++)
            {
                double dt = times[t] - times[t - 1];
                if (!(dt > 0)) return $"time {times[t]} after {times[t - 1]} taken";
                double period = rate is double hz ? 1 / hz : Median(times, t);
                if (dt > RawCsvReader.GapPeriods * period) return $"a gap of {dt} s taken";
            }
            return times.SequenceEqual(read) ? "" : $"{read.Count} rows read, the file has {times.Count}";
        }

        // Without a rate, the reader learns the period from the median of the first 16 steps, then judges every step by it.
        private static double Median(List<double> times, int upTo)
        {
            if (upTo < 16) return double.PositiveInfinity;
            var steps = Enumerable.Range(1, 16).Select(s => times[s] - times[s - 1]).OrderBy(s => s).ToList();
            return steps[8];
        }
    }
}
