using HingeSensor.TestSupport;
using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using HingeSensor.Host.Recording;
using Xunit;

namespace HingeSensor.Host.Tests
{
    /// <summary>`hinge analyze` on recordings that do not calibrate, on damaged input, and with outputs that would overwrite the input.</summary>
    public class AnalyzeCliTests
    {
        private static (int Code, string Out, string Err) Hinge(params string[] args) => CliTests.Hinge(args);

        // Someone else's recording: the simulator's calibration windows taken out of the metadata.
        private static (string Bare, string Labels, string HingeWindow) ForeignRecording(TempDir dir, string sequence)
        {
            File.WriteAllText(dir.File("scenario.json"), $$"""
                { "name": "foreign", "seeds": [3], "person": { "name": "x", "height_cm": 175 }, "sensors": { "mounting": "strap" },
                  "sequence": [ {{sequence}} ] }
                """);
            var sim = Hinge("simulate", "--scenario", dir.File("scenario.json"), "--out", dir.File("raw.csv"), "--labels", dir.File("labels.json"));
            Assert.True(sim.Code == 0, sim.Err);
            string[] lines = File.ReadAllLines(dir.File("raw.csv"));
            string hinge = lines.FirstOrDefault(l => l.StartsWith("# hinge_calibration="))?["# hinge_calibration=".Length..] ?? "";
            File.WriteAllLines(dir.File("bare.csv"), lines.Where(l => !l.StartsWith("# neutral") && !l.StartsWith("# hinge")));
            return (dir.File("bare.csv"), dir.File("labels.json"), hinge);
        }

        [Fact]
        public void A_recording_without_a_still_moment_is_reported_uncalibrated_with_exit_1_and_what_to_give()
        {
            using var dir = new TempDir();
            var (bare, _, _) = ForeignRecording(dir, """{ "do": "walk", "duration_s": 20 }""");
            File.WriteAllText(dir.File("metrics.csv"), "an earlier run");
            var (code, output, err) = Hinge("analyze", "--input", bare, "--out", dir.File("result.json"), "--samples", dir.File("metrics.csv"));
            Assert.Equal(1, code);
            Assert.DoesNotContain("0 reps", output);
            Assert.Contains("not calibrated, so there are no angles, reps or alerts", err);
            Assert.Contains("at rest for 1.5 s", err);
            Assert.Contains("this recording has no such moment", err);
            Assert.Matches(@"The stillest 2 s are [\d.]+–[\d.]+ s: gravity direction spread head [\d.]+°", err);
            Assert.Contains("not still enough for a neutral", err);
            Assert.Contains("--neutral T0-T1", err);
            Assert.Contains("--hinge T0-T1", err);
            // Nothing that reads as a result, and the earlier metrics file as it was.
            Assert.False(File.Exists(dir.File("result.json")));
            Assert.Equal("an earlier run", File.ReadAllText(dir.File("metrics.csv")));
            Assert.Empty(Directory.GetFiles(dir.Path, "*.partial"));
        }

        [Fact]
        public void An_automatic_neutral_is_reported_as_the_neutral_step_with_its_own_window_even_when_the_hinge_capture_starts_at_once()
        {
            // Found on a public recording: the automatic hinge capture began in the same sample the
            // neutral ended, and the neutral's report came out as a zero-length "hinge ok".
            using var dir = new TempDir();
            var (bare, _, _) = ForeignRecording(dir, """{ "do": "calibrate_neutral", "duration_s": 6 }, { "do": "calibrate_hinge" }, { "do": "set", "reps": 3 }""");
            var (code, _, err) = Hinge("analyze", "--input", bare, "--out", dir.File("result.json"));
            Assert.True(code == 0, err);
            using JsonDocument result = JsonDocument.Parse(File.ReadAllText(dir.File("result.json")));
            JsonElement[] steps = result.RootElement.GetProperty("calibration").EnumerateArray().ToArray();
            Assert.Equal(new[] { "neutral ok", "hinge ok" }, steps.Select(c => c.GetProperty("step").GetString() + " " + c.GetProperty("status").GetString()));
            JsonElement neutral = steps[0];
            Assert.InRange(neutral.GetProperty("end_s").GetDouble() - neutral.GetProperty("start_s").GetDouble(), 2.4, 2.6); // the automatic capture's 2.5 s
            Assert.InRange(neutral.GetProperty("end_s").GetDouble(), 0, 6.1); // inside the stance
        }

        [Fact]
        public void The_stillest_window_is_offered_as_an_option_and_pasted_with_the_hinge_window_it_calibrates()
        {
            using var dir = new TempDir();
            // A stance too short for the automatic neutral (rest 1.5 s, then a 2.5 s capture runs into the hinge).
            var (bare, labels, hingeWindow) = ForeignRecording(dir,
                """{ "do": "walk", "duration_s": 10 }, { "do": "calibrate_neutral", "duration_s": 3 }, { "do": "calibrate_hinge" }, { "do": "set", "reps": 4 }, { "do": "walk", "duration_s": 10 }""");
            var first = Hinge("analyze", "--input", bare, "--out", dir.File("result.json"));
            Assert.Equal(1, first.Code);
            Assert.Contains("moved during the neutral stance", first.Err);
            Assert.Contains("still enough for a neutral", first.Err);
            Match offered = Regex.Match(first.Err, @"--neutral (?<w>[\d.]+-[\d.]+) --hinge T0-T1");
            Assert.True(offered.Success, first.Err);
            Assert.True(TimeWindow.TryParse(offered.Groups["w"].Value, out TimeWindow neutral));
            Assert.InRange(neutral.StartS, 10, 13.5); // inside the scripted stance (10–13 s)
            Assert.InRange(neutral.EndS, 10, 13.5);

            var second = Hinge("analyze", "--input", bare, "--out", dir.File("result.json"), "--neutral", offered.Groups["w"].Value, "--hinge", hingeWindow);
            Assert.True(second.Code == 0, second.Err);
            using JsonDocument result = JsonDocument.Parse(File.ReadAllText(dir.File("result.json")));
            using JsonDocument truth = JsonDocument.Parse(File.ReadAllText(labels));
            JsonElement r = result.RootElement;
            Assert.True(r.GetProperty("calibrated").GetBoolean());
            Assert.Equal("windows", r.GetProperty("config").GetProperty("calibration_source").GetString());
            Assert.Equal(neutral.StartS, r.GetProperty("config").GetProperty("neutral_window")[0].GetDouble());
            Assert.All(r.GetProperty("calibration").EnumerateArray(), c => Assert.Equal("ok", c.GetProperty("status").GetString()));
            int trueReps = truth.RootElement.GetProperty("reps").EnumerateArray().Count(x => x.GetProperty("counted").GetBoolean());
            Assert.Equal(4, trueReps);
            Assert.Equal(trueReps, r.GetProperty("counted_reps").GetInt32());
        }

        [Fact]
        public void A_window_option_that_is_no_window_or_lies_outside_the_recording_is_said_so()
        {
            using var dir = new TempDir();
            var (bare, _, hingeWindow) = ForeignRecording(dir, """{ "do": "calibrate_neutral" }, { "do": "calibrate_hinge" }, { "do": "walk", "duration_s": 5 }""");
            var word = Hinge("analyze", "--input", bare, "--out", dir.File("r.json"), "--neutral", "3");
            Assert.Equal(2, word.Code);
            Assert.Contains("--neutral '3' is not a window T0-T1", word.Err);
            var outside = Hinge("analyze", "--input", bare, "--out", dir.File("r.json"), "--neutral", "100-102", "--hinge", hingeWindow);
            Assert.Equal(1, outside.Code);
            Assert.Contains("neutral: the window 100-102 s lies outside the recording", outside.Err);
        }

        [Fact]
        public void An_output_that_is_the_input_by_any_route_is_refused_and_the_input_kept()
        {
            using var dir = new TempDir();
            var (bare, _, _) = ForeignRecording(dir, """{ "do": "calibrate_neutral" }, { "do": "calibrate_hinge" }""");
            byte[] before = File.ReadAllBytes(bare);
            Directory.CreateDirectory(dir.File("sub"));
            File.CreateSymbolicLink(dir.File("link.csv"), bare);
            Directory.CreateSymbolicLink(dir.File("linkdir"), dir.Path);
            string cwd = Directory.GetCurrentDirectory();
            foreach (string[] outputs in new[]
            {
                new[] { "--out", bare },
                new[] { "--out", dir.File("sub/../bare.csv") },
                new[] { "--out", dir.File("link.csv") },
                new[] { "--out", dir.File("r.json"), "--samples", dir.File("linkdir/bare.csv") },
                new[] { "--out", dir.File("r.json"), "--samples", Path.GetRelativePath(cwd, bare) },
            })
            {
                var r = Hinge(new[] { "analyze", "--input", bare }.Concat(outputs).ToArray());
                Assert.True(r.Code == 2, string.Join(" ", outputs) + ": " + r.Err);
                Assert.Contains("is the input recording itself", r.Err);
                Assert.Equal(before, File.ReadAllBytes(bare));
            }
            var same = Hinge("analyze", "--input", bare, "--out", dir.File("r.json"), "--samples", dir.File("sub/../r.json"));
            Assert.Equal(2, same.Code);
            Assert.Contains("--samples and --out are the same file", same.Err);
        }

        [Fact]
        public void Damaged_input_gets_a_sentence_with_file_and_line_never_a_stack_trace()
        {
            using var dir = new TempDir();
            var (bare, _, _) = ForeignRecording(dir, """{ "do": "calibrate_neutral" }, { "do": "calibrate_hinge" }""");
            string[] lines = File.ReadAllLines(bare);
            int headerLine = Array.FindIndex(lines, l => l.StartsWith("t_s,")) + 1;

            File.WriteAllBytes(dir.File("header.gz"), new byte[] { 0x1f, 0x8b, 0x08, 0x83 });
            Assert.Contains("header.gz: a gzip file of 4 bytes is too short", Fails(dir, "header.gz"));

            byte[] gz = Gzip(File.ReadAllBytes(bare));
            File.WriteAllBytes(dir.File("cut.csv.gz"), gz[..(gz.Length / 2)]);
            Assert.Matches(@"cut\.csv\.gz:\d+: the gzip data ends after \d+ decompressed bytes .*cut short", Fails(dir, "cut.csv.gz"));

            File.WriteAllText(dir.File("window.csv"), "#\n#neutral=\n" + string.Join("\n", lines.SkipWhile(l => l.StartsWith('#'))));
            Assert.Contains("window.csv:2: 'neutral=' is not a window", Fails(dir, "window.csv"));

            string[] extra = (string[])lines.Clone();
            extra[headerLine + 4] += ",0.5";
            File.WriteAllLines(dir.File("extra.csv"), extra);
            Assert.Contains($"extra.csv:{headerLine + 5}: row has 20 fields, the header has 19", Fails(dir, "extra.csv"));

            Directory.CreateDirectory(dir.File("recordings"));
            Assert.Contains("recordings: is a directory; give a recording file", Fails(dir, "recordings"));
            Assert.Contains("missing.csv: no such file", Fails(dir, "missing.csv"));
        }

        private static string Fails(TempDir dir, string input)
        {
            var (code, _, err) = Hinge("analyze", "--input", dir.File(input), "--out", dir.File("r.json"));
            Assert.True(code == 2, $"{input}: exit {code}: {err}");
            Assert.StartsWith("hinge analyze: ", err);
            Assert.DoesNotContain("   at ", err);
            Assert.False(File.Exists(dir.File("r.json")));
            return err;
        }

        private static byte[] Gzip(byte[] data)
        {
            var m = new MemoryStream();
            using (var z = new GZipStream(m, CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
            return m.ToArray();
        }
    }
}
