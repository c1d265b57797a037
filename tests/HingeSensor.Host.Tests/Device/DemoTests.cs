using System.IO;
using System.Linq;
using System.Text.Json;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Storage;
using HingeSensor.Host.Tests.Reports;
using HingeSensor.Simulation;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.Simulation.Truth;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>
    /// `hinge demo` — the main job on a fresh machine — run as the README runs it: once for the
    /// test run, by <see cref="DemoSessionFixture"/>, whose database the report tests go on to use.
    /// </summary>
    [Collection(DemoSessionCollection.Name)]
    public class DemoTests
    {
        private readonly DemoSessionFixture _demo;
        private readonly ITestOutputHelper _out;

        public DemoTests(DemoSessionFixture demo, ITestOutputHelper output)
        {
            _demo = demo;
            _out = output;
        }

        [Fact]
        public void Demo_exits_0_and_stores_a_session_whose_reps_and_alerts_match_the_scripts_labels()
        {
            string dbPath = _demo.DbPath;
            var (code, output, err) = (_demo.DemoExitCode, _demo.DemoOutput, _demo.DemoErrors);
            Assert.True(code == 0, err + output);
            using JsonDocument summary = JsonDocument.Parse(output);

            // The script's own truth, computed here from the simulator (never from the detector).
            var (scenario, _) = ScenarioLoader.Load("demo");
            var sim = new WearerSimulation(scenario, scenario.Seeds[0]);
            foreach (var _ in sim.Rows()) { }
            Labels truth = sim.Labels;

            using var db = new SessionDatabase(dbPath);
            long id = summary.RootElement.GetProperty("session_id").GetInt64();
            StoredSession s = db.GetSession(id)!;
            Assert.Single(_demo.SessionsAfterDemo);
            byte[] raw = db.RawSession(id)!;
            double sessionStartS = DecodedSession.Decode(raw, raw.Length).Header.StartDeviceMs / 1000.0; // the virtual device boots at the script's t = 0

            var countedTruth = truth.Reps.Where(r => r.Counted).ToList();
            var counted = s.Reps.Where(r => r.Counted).ToList();
            Assert.Equal(countedTruth.Count, counted.Count);
            foreach (var (t, r) in countedTruth.Zip(counted))
            {
                // The same rep: the stored one overlaps the scripted one in time.
                Assert.True(r.StartS + sessionStartS < t.EndS && r.EndS + sessionStartS > t.StartS, $"rep {r.Number} at {r.StartS + sessionStartS:0.0} s vs script {t.StartS:0.0}–{t.EndS:0.0} s");
                Assert.Equal(t.Faults.OrderBy(f => f), r.Faults.OrderBy(f => f));
            }

            Assert.Equal(truth.Faults.Select(f => f.Kind), s.Alerts.Select(a => a.Fault));
            foreach (var (f, a) in truth.Faults.Zip(s.Alerts))
            {
                double start = a.StartS + sessionStartS;
                Assert.True(start >= f.OnsetS - 0.05 && start <= f.OnsetS + 0.5, $"{a.Fault} alert at {start:0.00} s, the script's onset {f.OnsetS:0.00} s");
            }
            Assert.True(s.Frames.Count > 25 * 60, "the session's frames are stored");
            _out.WriteLine($"{counted.Count} reps, {s.Alerts.Count} alerts ({string.Join(", ", s.Alerts.Select(a => a.Fault))}), {s.Frames.Count} frames, wall {summary.RootElement.GetProperty("wall_seconds").GetDouble()} s");
        }
    }
}
