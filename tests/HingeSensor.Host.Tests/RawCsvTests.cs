using HingeSensor.TestSupport;
using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using HingeSensor.Host.IO;
using HingeSensor.Host.Recording;
using Xunit;

namespace HingeSensor.Host.Tests
{
    public class RawCsvTests
    {
        private static readonly string Header = string.Join(",", RawCsvFormat.Header);
        private static string Row(double t, double az = 9.81) => string.Join(",", new[] { t.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            .Concat(Enumerable.Range(0, 3).SelectMany(_ => new[] { "0.1", "-0.2", az.ToString(System.Globalization.CultureInfo.InvariantCulture), "0.01", "0", "-0.01" })));

        private static string Good(int rows, int from = 0) => string.Join("\n", Enumerable.Range(from, rows).Select(i => Row(i * 0.01)));

        private static DataFormatException Fails(string content)
        {
            using var dir = new TempDir();
            string path = dir.File("bad.csv");
            File.WriteAllText(path, content);
            return Assert.Throws<DataFormatException>(() =>
            {
                var reader = new RawCsvReader(path);
                foreach (var _ in reader.Rows()) { }
            });
        }

        [Fact]
        public void A_missing_column_is_named_with_the_header_line()
        {
            var e = Fails("# rate_hz=100\n" + Header.Replace(",sacrum_gz", "") + "\n" + Good(3));
            Assert.Equal(2, e.Line);
            Assert.Contains("no column 'sacrum_gz'", e.Message);
        }

        [Fact]
        public void A_short_row_names_its_line()
        {
            var e = Fails(Header + "\n" + Good(5) + "\n0.05,1,2,3\n" + Good(3, 6));
            Assert.Equal(7, e.Line);
            Assert.Contains("row has 4 fields", e.Message);
        }

        [Fact]
        public void A_word_where_a_number_belongs_names_line_and_column()
        {
            string bad = Row(0.05).Replace("-0.2", "abc");
            var e = Fails(Header + "\n" + Good(5) + "\n" + bad + "\n");
            Assert.Equal(7, e.Line);
            Assert.Contains("column 'head_ay' is not a number: 'abc'", e.Message);
        }

        [Theory]
        [InlineData("NaN", "is NaN")]
        [InlineData("Infinity", "is infinite")]
        [InlineData("", "is empty")]
        public void Non_finite_and_empty_values_are_rejected(string value, string expected)
        {
            string bad = Row(0.05, 9.81).Replace("9.81", value);
            var e = Fails(Header + "\n" + Good(5) + "\n" + bad + "\n");
            Assert.Equal(7, e.Line);
            Assert.Contains("column 'head_az' " + expected, e.Message);
        }

        [Fact]
        public void Time_going_backwards_or_repeating_is_rejected()
        {
            var back = Fails(Header + "\n" + Good(5) + "\n" + Row(0.03) + "\n");
            Assert.Equal(7, back.Line);
            Assert.Contains("time 0.03 s does not increase (line 6 has 0.04 s)", back.Message);
            var same = Fails(Header + "\n" + Good(5) + "\n" + Row(0.04) + "\n");
            Assert.Contains("does not increase", same.Message);
        }

        [Fact]
        public void A_gap_in_the_sampling_is_rejected_with_its_length()
        {
            var e = Fails("# rate_hz=100\n" + Header + "\n" + Good(20) + "\n" + Row(0.5) + "\n");
            Assert.Equal(23, e.Line);
            Assert.Contains("gap of 0.31 s after t = 0.19 s (line 22)", e.Message);
        }

        [Fact]
        public void A_gap_is_found_without_a_rate_from_the_first_periods()
        {
            var e = Fails(Header + "\n" + Good(30) + "\n" + Row(1.0) + "\n");
            Assert.Contains("gap of 0.71 s", e.Message);
        }

        [Fact]
        public void Malformed_metadata_is_rejected_with_its_line()
        {
            var e = Fails("# scenario=x\n# neutral=3-1\n" + Header + "\n" + Good(3));
            Assert.Equal(2, e.Line);
            Assert.Contains("'neutral=3-1' is not a window", e.Message);
            var h = Fails("# height_cm=tall\n" + Header + "\n" + Good(3));
            Assert.Contains("'height_cm=tall' is not a number", h.Message);
        }

        [Fact]
        public void An_empty_file_or_one_without_rows_says_so()
        {
            Assert.Contains("no header", Fails("").Message + Fails("# only=comments\n").Message);
            Assert.Contains("no data rows", Fails(Header + "\n").Message);
        }

        [Fact]
        public void Writer_and_reader_round_trip_metadata_rows_and_clipping_gzipped_or_not()
        {
            using var dir = new TempDir();
            string plain = dir.File("rec.csv");
            using (var f = File.Create(plain))
            using (var w = new RawCsvWriter(f, new[] { new System.Collections.Generic.KeyValuePair<string, string>("neutral", "0.5-3.5"), new("accel_range_g", "2"), new("height_cm", "181") }))
            {
                var v = new double[18];
                for (int i = 0; i < 100; i++)
                {
                    for (int k = 0; k < 18; k++) v[k] = k + i * 0.001;
                    v[0] = i == 50 ? 19.6133 : 0.5; // head ax at the ±2 g rail on row 50
                    w.Write(i * 0.01, v);
                }
            }
            string gz = dir.File("rec.csv.gz");
            using (var src = File.OpenRead(plain))
            using (var dst = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
                src.CopyTo(dst);

            foreach (string path in new[] { plain, gz })
            {
                var reader = new RawCsvReader(path);
                Assert.Equal(new TimeWindow(0.5, 3.5), reader.Metadata.Neutral);
                Assert.Equal(181, reader.Metadata.HeightCm);
                int n = 0;
                foreach (RawRow row in reader.Rows())
                {
                    Assert.Equal(n * 0.01, row.TimeS, 9);
                    Assert.Equal(17 + n * 0.001, row.Gyro[2].Z, 4);
                    Assert.Equal(n == 50, row.AccelClipped[0]);
                    n++;
                }
                Assert.Equal(100, n);
            }
        }
    }
}
