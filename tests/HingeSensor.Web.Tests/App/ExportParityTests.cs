using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Host.Export;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Storage;
using HingeSensor.TestSupport;
using HingeSensor.Web.Tests.Codec;
using Xunit;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// The app's export against `hinge history export`, on every golden session file the firmware's
    /// recorder made (Codec/GoldenVectors: every field at its edges, 5 Hz, format 1 and 28-byte reps,
    /// damaged chunks, torn tails): each stored in a database and exported by the host, then read
    /// by the app's session model and exported under node (App/export-parity.mjs) — the CSV tables
    /// equal byte for byte, the JSON field by field.
    /// </summary>
    public class ExportParityTests
    {
        private static string AppFolder => RepositoryPaths.InRepo("host", "HingeSensor.Host", "Web", "wwwroot", "app");
        private static string Runner => RepositoryPaths.InRepo("tests", "HingeSensor.Web.Tests", "App", "export-parity.mjs");

        // The host's exports of the golden sessions, made once for every test here.
        private static readonly Lazy<Task<string>> HostExports = new(MakeCasesAsync);

        private static async Task<string> CasesAsync(TempDir dir)
        {
            string path = dir.File("cases.json");
            File.WriteAllText(path, await HostExports.Value);
            return path;
        }

        private static async Task<string> MakeCasesAsync()
        {
            using var dir = new TempDir();
            var cases = new List<object>();
            using var db = new SessionDatabase(dir.File("hinge.db"));
            foreach (var v in CodecGoldenTests.Set.Value.OfKind("session"))
            {
                byte[] file = Convert.FromHexString((string)v["hex"]!);
                DecodedSession d = DecodedSession.Decode(file, file.Length);
                var (id, _) = db.ImportDeviceSession(new DeviceIdentityInfo(d.Header.DeviceSerial, null, null, null, null), file);
                StoredSession s = db.GetSession(id)!;
                string csv = dir.File($"s{id}.csv"), json = dir.File($"s{id}.json");
                await SessionExport.WriteAsync(s, ExportFormat.Csv, csv);
                await SessionExport.WriteAsync(s, ExportFormat.Json, json);
                cases.Add(new
                {
                    name = (string)v["name"]!,
                    hex = (string)v["hex"]!,
                    csv = new { frames = File.ReadAllText(csv), reps = File.ReadAllText(dir.File($"s{id}.reps.csv")), alerts = File.ReadAllText(dir.File($"s{id}.alerts.csv")) },
                    json = File.ReadAllText(json),
                });
            }
            return JsonSerializer.Serialize(cases);
        }

        [SkippableFact]
        public async Task The_apps_CSV_and_JSON_are_hinges_for_every_golden_session()
        {
            string node = NodeJs.Executable;
            using var dir = new TempDir();
            string cases = await CasesAsync(dir);
            var (exit, output) = NodeJs.Run(Runner, cases, AppFolder);
            Assert.True(exit == 0, output);
            Assert.Matches(@"^\d+ sessions, 0 disagreements", output.Split('\n').Last(l => l.Length > 0));
            Assert.True(int.Parse(output.Split('\n').Last(l => l.Length > 0).Split(' ')[0]) >= 8, output);
        }

        /// <summary>The comparison can fail: bugs planted in a copy of the app's session model and export are named with the line they changed.</summary>
        [SkippableTheory]
        [InlineData("export.js", "const n2 = (v) => (Number.isNaN(v) ? null : roundTo(v, 2));", "const n2 = (v) => roundTo(v, 2);", "frames CSV line ")]
        [InlineData("session-model.js", "startS: f32(f32(r.startMs) * THOUSANDTH)", "startS: r.startMs / 1000", "reps CSV line ")]
        [InlineData("export.js", "number: r.number, counted: r.counted,", "number: r.number, counted: !r.counted,", "reps CSV line ")]
        [InlineData("session-model.js", "const peak = e.value / 100;", "const peak = e.value / 10;", "alerts CSV line ")]
        public async Task A_bug_planted_in_the_apps_export_is_found(string file, string code, string bug, string reported)
        {
            string node = NodeJs.Executable;
            using var dir = new TempDir();
            string cases = await CasesAsync(dir);
            string broken = Path.Combine(dir.Path, "app");
            Directory.CreateDirectory(broken);
            foreach (string f in Directory.GetFiles(AppFolder, "*.js")) File.Copy(f, Path.Combine(broken, Path.GetFileName(f)));
            string source = File.ReadAllText(Path.Combine(broken, file));
            Assert.Contains(code, source); // the planted bug must land
            File.WriteAllText(Path.Combine(broken, file), source.Replace(code, bug));
            var (exit, output) = NodeJs.Run(Runner, cases, broken);
            Assert.True(exit == 1, output);
            Assert.Contains(reported, output);
        }
    }
}
