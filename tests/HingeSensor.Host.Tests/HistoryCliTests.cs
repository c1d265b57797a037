using HingeSensor.TestSupport;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Host.Export;
using HingeSensor.Host.Storage;
using Parquet.Serialization;
using Xunit;

namespace HingeSensor.Host.Tests
{
    /// <summary>`hinge analyze --save` and `hinge history list|show|export` over the same database.</summary>
    public class HistoryCliTests
    {
        private static (int Code, string Out, string Err) Hinge(params string[] args) => CliTests.Hinge(args);

        private static string SavedRecording(TempDir dir)
        {
            Assert.Equal(0, Hinge("simulate", "--scenario", "ci/ci-01", "--seed", "5", "--out", dir.File("raw.csv"), "--labels", dir.File("labels.json")).Code);
            var an = Hinge("analyze", "--input", dir.File("raw.csv"), "--out", dir.File("result.json"), "--save", "--db", dir.File("hinge.db"));
            Assert.True(an.Code == 0, an.Err);
            Assert.Contains("saved as session #1", an.Out);
            return dir.File("hinge.db");
        }

        [Fact]
        public async Task Analyze_save_stores_once_and_history_shows_and_exports_it_in_three_formats()
        {
            using var dir = new TempDir();
            string db = SavedRecording(dir);
            var again = Hinge("analyze", "--input", dir.File("raw.csv"), "--out", dir.File("result2.json"), "--save", "--db", db);
            Assert.Contains("already stored as session #1", again.Out);

            using JsonDocument result = JsonDocument.Parse(File.ReadAllText(dir.File("result.json")));
            int counted = result.RootElement.GetProperty("counted_reps").GetInt32();
            int alerts = result.RootElement.GetProperty("alerts").GetArrayLength();

            using (JsonDocument list = JsonDocument.Parse(Hinge("history", "list", "--db", db, "--json").Out))
            {
                JsonElement s = Assert.Single(list.RootElement.EnumerateArray());
                Assert.Equal("analyze", s.GetProperty("source").GetString());
                Assert.Equal(counted, s.GetProperty("counted_reps").GetInt32());
                Assert.Equal(alerts, s.GetProperty("alerts").GetInt32());
            }
            using (JsonDocument show = JsonDocument.Parse(Hinge("history", "show", "1", "--db", db, "--json").Out))
            {
                Assert.Equal(counted, show.RootElement.GetProperty("summary").GetProperty("counted_reps").GetInt32());
                Assert.Equal(3, show.RootElement.GetProperty("calibration").GetArrayLength()); // the calibration it was judged with
            }
            var people = Hinge("history", "show", "1", "--db", db);
            Assert.Contains("worst trunk flexion", people.Out);

            StoredSession stored;
            using (var d = new SessionDatabase(db)) stored = d.GetSession(1)!;
            // The frames are kept at the device's recording rate: 25 Hz.
            double rate = (stored.Frames.Count - 1) / (stored.Frames[^1].TimeS - stored.Frames[0].TimeS);
            Assert.InRange(rate, 24.5, 25.5);

            Assert.Equal(0, Hinge("history", "export", "1", "--db", db, "--format", "csv", "--out", dir.File("out/s.csv")).Code);
            string[] csv = File.ReadAllLines(dir.File("out/s.csv"));
            Assert.StartsWith("time_s,head_sagittal_deg", csv[0]);
            Assert.Equal(stored.Frames.Count + 1, csv.Length);
            Assert.Equal(stored.Reps.Count + 1, File.ReadAllLines(dir.File("out/s.reps.csv")).Length);
            Assert.Equal(alerts + 1, File.ReadAllLines(dir.File("out/s.alerts.csv")).Length);

            Assert.Equal(0, Hinge("history", "export", "1", "--db", db, "--format", "parquet", "--out", dir.File("out/s.parquet")).Code);
            await using (FileStream f = File.OpenRead(dir.File("out/s.parquet")))
            {
                var frames = (await ParquetSerializer.DeserializeAsync<SessionExport.FrameRow>(f)).Data;
                Assert.Equal(stored.Frames.Count, frames.Count);
                int mid = stored.Frames.Count / 2; // calibrated by then: every segment valid
                Assert.Equal(stored.Frames[mid].TrunkFlexion, frames[mid].TrunkFlexionDeg!.Value, 1);
            }
            await using (FileStream f = File.OpenRead(dir.File("out/s.reps.parquet")))
                Assert.Equal(stored.Reps.Count, (await ParquetSerializer.DeserializeAsync<SessionExport.RepRow>(f)).Data.Count);

            Assert.Equal(0, Hinge("history", "export", "1", "--db", db, "--format", "json", "--out", dir.File("out/s.json")).Code);
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(dir.File("out/s.json")));
            Assert.Equal(stored.Frames.Count, json.RootElement.GetProperty("frames").GetArrayLength());
            Assert.Equal(stored.Reps.Count, json.RootElement.GetProperty("reps").GetArrayLength());
        }

        [Fact]
        public void Unknown_sessions_and_unwritable_exports_give_clear_errors_and_leave_nothing_behind()
        {
            using var dir = new TempDir();
            string db = SavedRecording(dir);
            var missing = Hinge("history", "show", "42", "--db", db);
            Assert.Equal(1, missing.Code);
            Assert.Contains("no session #42", missing.Err);

            File.WriteAllText(dir.File("blocker"), "a file where a directory should be");
            var blocked = Hinge("history", "export", "1", "--db", db, "--out", dir.File("blocker/s.csv"));
            Assert.Equal(2, blocked.Code);
            Assert.StartsWith("hinge history export:", blocked.Err);

            // An export over an existing file that fails half-way leaves the old file as it was.
            Directory.CreateDirectory(dir.File("ro"));
            File.WriteAllText(dir.File("ro/s.csv"), "old");
            Directory.CreateDirectory(dir.File("ro/s.csv.partial")); // the temp name is taken by a directory: the write fails
            Assert.Equal(2, Hinge("history", "export", "1", "--db", db, "--out", dir.File("ro/s.csv")).Code);
            Assert.Equal("old", File.ReadAllText(dir.File("ro/s.csv")));

            File.WriteAllText(dir.File("not-a-db"), "this is not SQLite");
            var bad = Hinge("history", "list", "--db", dir.File("not-a-db"));
            Assert.Equal(2, bad.Code);
            Assert.Contains($"hinge history list: {dir.File("not-a-db")} is damaged or not a database", bad.Err);
        }
    }
}
