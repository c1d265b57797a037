using HingeSensor.TestSupport;
using System.IO;
using System.Linq;
using System.Text.Json;
using HingeSensor.Host.Cli;
using Xunit;

namespace HingeSensor.Host.Tests
{
    /// <summary>The commands as a user runs them: arguments in, files and output out.</summary>
    public class CliTests
    {
        public static (int Code, string Out, string Err) Hinge(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = HingeCli.Run(args, o, e);
            return (code, o.ToString(), e.ToString());
        }

        [Fact]
        public void Simulate_then_analyze_finds_the_scripted_reps_and_faults()
        {
            using var dir = new TempDir();
            var sim = Hinge("simulate", "--scenario", "ci/ci-01", "--seed", "5", "--out", dir.File("raw.csv"), "--labels", dir.File("labels.json"));
            Assert.True(sim.Code == 0, sim.Err);
            Assert.True(File.Exists(dir.File("labels.angles.csv")));
            var an = Hinge("analyze", "--input", dir.File("raw.csv"), "--out", dir.File("result.json"), "--samples", dir.File("metrics.csv"));
            Assert.True(an.Code == 0, an.Err);

            using JsonDocument result = JsonDocument.Parse(File.ReadAllText(dir.File("result.json")));
            using JsonDocument labels = JsonDocument.Parse(File.ReadAllText(dir.File("labels.json")));
            JsonElement r = result.RootElement, l = labels.RootElement;
            Assert.Equal(new[] { "neutral", "hinge" }, r.GetProperty("calibration").EnumerateArray().Select(c => c.GetProperty("step").GetString()));
            Assert.All(r.GetProperty("calibration").EnumerateArray(), c => Assert.Equal("ok", c.GetProperty("status").GetString()));
            int trueReps = l.GetProperty("reps").EnumerateArray().Count(x => x.GetProperty("counted").GetBoolean());
            Assert.Equal(trueReps, r.GetProperty("counted_reps").GetInt32());
            var alertKinds = r.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("fault").GetString()).ToList();
            var labelKinds = l.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("kind").GetString()).ToList();
            Assert.Equal(labelKinds, alertKinds);
            JsonElement rep = r.GetProperty("reps")[0];
            foreach (string key in new[] { "start_s", "end_s", "depth_deg", "descent_s", "ascent_s", "max_trunk_flexion_deg", "max_head_flexion_deg", "faults" })
                Assert.True(rep.TryGetProperty(key, out _), key);
            JsonElement alert = r.GetProperty("alerts")[0];
            foreach (string key in new[] { "fault", "start_s", "end_s", "peak_deg" })
                Assert.True(alert.TryGetProperty(key, out _), key);
            Assert.Equal(20, r.GetProperty("config").GetProperty("thresholds_deg").GetProperty("back_rounding").GetDouble());
            string[] metrics = File.ReadAllLines(dir.File("metrics.csv"));
            Assert.StartsWith("t_s,head_sag_deg", metrics[0]);
            // One row per report of the tracker: every 40 ms, every fourth sample of this 100 Hz recording.
            long samples = r.GetProperty("samples").GetInt64();
            Assert.InRange(metrics.Length - 1, samples / 4 - 1, samples / 4 + 1);
        }

        [Fact]
        public void Without_marked_windows_analyze_calibrates_as_the_device_does()
        {
            using var dir = new TempDir();
            Assert.Equal(0, Hinge("simulate", "--scenario", "ci/ci-02", "--out", dir.File("raw.csv"), "--labels", dir.File("labels.json")).Code);
            // Someone else's recording: no calibration windows in the metadata.
            File.WriteAllLines(dir.File("bare.csv"), File.ReadLines(dir.File("raw.csv")).Where(line => !line.StartsWith("# neutral") && !line.StartsWith("# hinge")));
            var an = Hinge("analyze", "--input", dir.File("bare.csv"), "--out", dir.File("result.json"));
            Assert.True(an.Code == 0, an.Err);
            using JsonDocument result = JsonDocument.Parse(File.ReadAllText(dir.File("result.json")));
            JsonElement r = result.RootElement;
            Assert.Equal("automatic", r.GetProperty("config").GetProperty("calibration_source").GetString());
            var steps = r.GetProperty("calibration").EnumerateArray().ToList();
            Assert.Contains(steps, c => c.GetProperty("step").GetString() == "hinge" && c.GetProperty("status").GetString() == "ok");
            using JsonDocument labels = JsonDocument.Parse(File.ReadAllText(dir.File("labels.json")));
            int trueReps = labels.RootElement.GetProperty("reps").EnumerateArray().Count(x => x.GetProperty("counted").GetBoolean());
            Assert.Equal(trueReps, r.GetProperty("counted_reps").GetInt32());
            Assert.Equal(labels.RootElement.GetProperty("faults").GetArrayLength(), r.GetProperty("alerts").GetArrayLength());
        }

        [Fact]
        public void Analyze_reports_malformed_input_with_exit_code_2_and_the_line()
        {
            using var dir = new TempDir();
            File.WriteAllText(dir.File("bad.csv"), "t_s,head_ax\n0,1\n");
            var an = Hinge("analyze", "--input", dir.File("bad.csv"), "--out", dir.File("r.json"));
            Assert.Equal(2, an.Code);
            Assert.Contains("bad.csv:1: header has no column 'head_ay'", an.Err);
            Assert.False(File.Exists(dir.File("r.json")));
        }

        [Fact]
        public void Simulate_rejects_an_unknown_scenario_clearly()
        {
            var r = Hinge("simulate", "--scenario", "no-such-thing", "--out", "x.csv");
            Assert.Equal(2, r.Code);
            Assert.Contains("no scenario file 'no-such-thing'", r.Err);
            Assert.Contains("demo", r.Err);
        }
    }
}
