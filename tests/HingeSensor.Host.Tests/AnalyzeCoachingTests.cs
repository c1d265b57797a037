using HingeSensor.TestSupport;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace HingeSensor.Host.Tests
{
    /// <summary>
    /// issue 12 through the path a user takes: a scenario → `hinge simulate` → `hinge analyze` →
    /// result.json, with the activity spans, the cues and each rep's shape.
    /// </summary>
    public class AnalyzeCoachingTests
    {
        [Fact]
        public void Analyze_reports_activity_spans_cues_and_the_shape_of_each_rep()
        {
            using var dir = new TempDir();
            File.WriteAllText(dir.File("scenario.json"), """
                { "name": "coaching", "seeds": [11], "person": { "name": "x", "height_cm": 178, "flexibility": 0.9 }, "sensors": { "mounting": "strap" },
                  "sequence": [
                    { "do": "calibrate_neutral", "duration_s": 4 }, { "do": "calibrate_hinge" }, { "do": "stand", "duration_s": 3 },
                    { "do": "set", "reps": 4, "depth_deg": [84, 92] },
                    { "do": "walk", "duration_s": 14 },
                    { "do": "sit", "duration_s": 20 },
                    { "do": "stand", "duration_s": 3 } ] }
                """);
            var sim = CliTests.Hinge("simulate", "--scenario", dir.File("scenario.json"), "--out", dir.File("raw.csv"), "--labels", dir.File("labels.json"));
            Assert.True(sim.Code == 0, sim.Err);
            var analyze = CliTests.Hinge("analyze", "--input", dir.File("raw.csv"), "--out", dir.File("result.json"));
            Assert.True(analyze.Code == 0, analyze.Err);

            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(dir.File("result.json")));
            JsonElement root = doc.RootElement;
            var reps = root.GetProperty("reps").EnumerateArray().Where(r => r.GetProperty("counted").GetBoolean()).ToList();
            Assert.Equal(4, reps.Count);
            foreach (JsonElement r in reps)
            {
                Assert.Equal("hinge", r.GetProperty("pattern").GetString());
                Assert.Equal("ok", r.GetProperty("lockout").GetString());
                Assert.InRange(r.GetProperty("pelvis_share").GetDouble(), 0.75, 1.0);
                // sacrum_drop_cm: a hinge's (−15…30 cm: the residual error of the corrected
                // integral), or "NaN" when the integration could not vouch for it.
                JsonElement drop = r.GetProperty("sacrum_drop_cm");
                if (drop.ValueKind == JsonValueKind.String) Assert.Equal("NaN", drop.GetString());
                else Assert.InRange(drop.GetDouble(), -15, 30);
                Assert.Equal(r.GetProperty("depth_deg").GetDouble() >= 80, r.GetProperty("depth_reached").GetBoolean());
            }

            // One depth tick per rep that reached the depth, inside that rep.
            var ticks = root.GetProperty("cues").EnumerateArray().Where(c => c.GetProperty("cue").GetString() == "depth_reached").ToList();
            var deep = reps.Where(r => r.GetProperty("depth_reached").GetBoolean()).ToList();
            Assert.NotEmpty(deep);
            Assert.Equal(deep.Select(r => r.GetProperty("number").GetInt32()), ticks.Select(c => c.GetProperty("rep").GetInt32()));
            foreach (var (tick, rep) in ticks.Zip(deep))
                Assert.InRange(tick.GetProperty("time_s").GetDouble(), rep.GetProperty("start_s").GetDouble(), rep.GetProperty("end_s").GetDouble());

            var spans = root.GetProperty("activity").EnumerateArray()
                .Select(a => (Kind: a.GetProperty("kind").GetString()!, Start: a.GetProperty("start_s").GetDouble(), End: a.GetProperty("end_s").GetDouble())).ToList();
            double Time(string kind) => spans.Where(s => s.Kind == kind).Sum(s => s.End - s.Start);
            Assert.True(Time("hinge") > 4, string.Join(" ", spans));
            Assert.True(Time("walking") > 6, string.Join(" ", spans));
            Assert.True(Time("sitting") > 10, string.Join(" ", spans));
            Assert.True(Time("standing") > 3, string.Join(" ", spans));
            Assert.All(spans.Zip(spans.Skip(1)), p => Assert.True(p.First.End <= p.Second.Start + 1e-9));
            Assert.Empty(root.GetProperty("alerts").EnumerateArray());
        }
    }
}
