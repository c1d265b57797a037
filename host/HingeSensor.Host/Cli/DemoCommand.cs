using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.IO;
using HingeSensor.Host.Link.Virtual;
using HingeSensor.Host.Live;
using HingeSensor.Host.Storage;
using HingeSensor.Simulation.Choreography;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.Simulation.Truth;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Models;
using Spectre.Console;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// `hinge demo`: the whole product on a fresh machine. A virtual device (the real firmware core
    /// on a simulated wearer, time-compressed) runs the default workout; the host connects,
    /// calibrates when the wearer stands and hinges, records, shows the live view, downloads the
    /// session, stores it and prints the summary.
    /// </summary>
    public static class DemoCommand
    {
        public static Command Create()
        {
            var db = new Option<string?>("--db") { Description = "Database file (default: the XDG data directory)." };
            var speed = new Option<double>("--speed") { Description = "Device seconds per wall-clock second.", DefaultValueFactory = _ => 12 };
            var scenario = new Option<string>("--scenario") { Description = "Workout the virtual wearer does.", DefaultValueFactory = _ => "demo" };
            var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
            var cmd = new Command("demo", "The main job on a fresh machine: a virtual device trains, the host calibrates, watches, records, downloads and stores.") { db, speed, scenario, json };
            cmd.SetAction(async (parse, ct) =>
            {
                IAnsiConsole console = DeviceOptions.Console(parse, forPeopleOnly: parse.GetValue(json));
                try
                {
                    DemoSummary s = await RunAsync(parse.GetValue(scenario)!, parse.GetValue(db), parse.GetValue(speed), console, ct);
                    if (parse.GetValue(json)) parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(s, JsonOutput.Options));
                    else Print(console, s);
                    return s.MatchesScript ? 0 : 1;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    parse.InvocationConfiguration.Error.WriteLine("hinge demo: stopped");
                    return 130;
                }
                catch (Exception e) when (e is ScenarioException || e is TimeoutException || e is DeviceRequestException || e is Link.LinkLostException
                                          || e is IOException || e is CalibrationFailedException)
                {
                    parse.InvocationConfiguration.Error.WriteLine("hinge demo: " + e.Message);
                    return 2;
                }
            });
            return cmd;
        }

        public sealed record DemoSummary(long SessionId, string Database, int CountedReps, int ExpectedReps, string[] Alerts, string[] ExpectedFaults,
            double WorstTrunkFlexionDeg, double WorstHeadFlexionDeg, double DeepestTorsoDeg, long LiveFrames, long LiveGaps, long Malformed,
            int SessionBytes, double WallSeconds, bool MatchesScript);

        // Calibration follows the wearer's script in real time: a person answers the prompts at a
        // person's pace, and a busy host must not miss the 4 s they stand still. The workout after
        // it runs compressed.
        private const double CalibrationSpeed = 1;

        public static async Task<DemoSummary> RunAsync(string scenarioName, string? dbPath, double speed, IAnsiConsole console, CancellationToken ct)
        {
            var wall = System.Diagnostics.Stopwatch.StartNew();
            var (scenario, _) = ScenarioLoader.Load(scenarioName);
            int seed = scenario.Seeds[0];
            // What the script says will happen (the simulator's own ground truth), computed alongside.
            Task<Labels> labels = Task.Run(() =>
            {
                var sim = new HingeSensor.Simulation.WearerSimulation(scenario, seed);
                foreach (var _ in sim.Rows()) { }
                return sim.Labels;
            }, ct);
            console.MarkupLine($"[bold]HingeSensor demo[/]: virtual device, workout '{Markup.Escape(scenario.Name)}', time ×{speed:0}");
            // A fresh device for every demo, its flash in memory: nothing on disk to outlive the
            // run, however it ends (Ctrl+C, an error, a kill).
            var host = new VirtualDeviceHost(scenario, seed, new FlashModel(), Math.Min(speed, CalibrationSpeed));
            host.Start();
            await using DeviceConnection device = await DeviceConnection.OpenAsync(new VirtualDeviceLink(host, ownsHost: true), live: true, ct, host, "virtual");
            var plan = host.Rig.Simulation.Plan;
            DeviceClient client = device.Client;
            console.MarkupLine($"connected: {Markup.Escape(client.Link.Description)}, MTU {client.Link.Mtu}, serial {Markup.Escape(device.Identity.Serial)}");
            await client.SetTimeAsync(DateTimeOffset.UtcNow, ct);

            PlannedActivity neutral = plan.First(p => p.Kind == ActivityKind.CalibrateNeutral);
            PlannedActivity hinge = plan.First(p => p.Kind == ActivityKind.CalibrateHinge);
            host.WaitForDeviceTime(neutral.StartS + 0.4, TimeSpan.FromSeconds(30), ct);
            console.WriteLine("stand still and tall …");
            Ok(await client.CalibrateAsync(CalibrationStep.Neutral, TimeSpan.FromSeconds(30), ct), console);
            host.WaitForDeviceTime(hinge.StartS, TimeSpan.FromSeconds(30), ct);
            console.WriteLine("now a slow hinge with a straight back, down and up …");
            Ok(await client.CalibrateAsync(CalibrationStep.Hinge, TimeSpan.FromSeconds(30), ct), console);
            host.Speed = speed;

            ControlResponse start = await client.RequireAsync(Opcode.StartRecording, null, ct);
            console.MarkupLine($"recording session {start.Payload[0] | (start.Payload[1] << 8)}");
            var live = new LiveState(client);
            double end = host.Rig.DurationS;
            await LiveView.RunAsync(console, live, () => host.TimeS >= end || host.Failure != null, ct);
            live.Detach();
            await client.RequireAsync(Opcode.StopRecording, null, ct);

            using var db = new SessionDatabase(HingeHome.Database(dbPath));
            var synced = await Download(console, device, db, ct);
            SyncedSession session = synced.Last();
            StoredSession stored = db.GetSession(session.DatabaseId)!;
            Labels truth = await labels;
            var expectedFaults = truth.Faults.Select(f => f.Kind).ToArray();
            var alerts = stored.Alerts.Select(a => a.Fault).ToArray();
            int counted = stored.Reps.Count(r => r.Counted);
            bool matches = counted == truth.CountedReps && alerts.SequenceEqual(expectedFaults);
            return new DemoSummary(session.DatabaseId, db.Path, counted, truth.CountedReps, alerts, expectedFaults,
                Math.Round(stored.Reps.Max(r => r.MaxTrunkFlexionDeg), 1), Math.Round(stored.Reps.Max(r => r.MaxHeadFlexionDeg), 1), Math.Round(stored.Reps.Max(r => r.DepthDeg), 1),
                client.Health.Frames, client.Health.Gaps, client.Health.MalformedTotal, session.Bytes, Math.Round(wall.Elapsed.TotalSeconds, 1), matches);
        }

        /// <summary>The scripted wearer's calibration did not take: the demo cannot go on.</summary>
        private sealed class CalibrationFailedException(string message) : Exception(message);

        private static void Ok(CalibrationOutcome o, IAnsiConsole console)
        {
            if (o.Status != CalibrationStatus.Ok)
                throw new CalibrationFailedException($"the {o.Step.ToString().ToLowerInvariant()} calibration failed: {CalibrationStatusText.Describe(o.Status)}");
            console.MarkupLine($"  {o.Step.ToString().ToLowerInvariant()} calibration ok (quality {string.Join(" / ", o.Quality.Select(q => q.ToString("0.00")))})");
        }

        private static async Task<System.Collections.Generic.IReadOnlyList<SyncedSession>> Download(IAnsiConsole console, DeviceConnection device, SessionDatabase db, CancellationToken ct)
        {
            if (!console.Profile.Capabilities.Interactive)
            {
                var r = await SessionSync.SyncAsync(device, db, erase: true, e => new Progress<DownloadProgress>(), null, ct);
                foreach (var s in r) console.WriteLine($"downloaded {s.Bytes} bytes, every chunk and the digest checked: {s.Describe()}");
                return r;
            }
            System.Collections.Generic.IReadOnlyList<SyncedSession> result = Array.Empty<SyncedSession>();
            await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    result = await SessionSync.SyncAsync(device, db, erase: true, e =>
                    {
                        ProgressTask task = ctx.AddTask($"session {e.Id}", maxValue: e.Length);
                        return new Progress<DownloadProgress>(p => task.Value = p.Bytes);
                    }, null, ct);
                });
            return result;
        }

        private static void Print(IAnsiConsole console, DemoSummary s)
        {
            var t = new Table().Border(TableBorder.Rounded).Title("[bold]session summary[/]");
            t.AddColumn("");
            t.AddColumn("");
            t.AddRow("stored as", $"#{s.SessionId} in {Markup.Escape(s.Database)}");
            t.AddRow("reps", $"{s.CountedReps} (the script had {s.ExpectedReps})");
            t.AddRow("alerts", Markup.Escape(s.Alerts.Length == 0 ? "none" : string.Join(", ", s.Alerts)));
            t.AddRow("faults in the script", Markup.Escape(string.Join(", ", s.ExpectedFaults)));
            t.AddRow("deepest hinge (torso)", $"{s.DeepestTorsoDeg:0}°");
            t.AddRow("worst trunk flexion", $"{s.WorstTrunkFlexionDeg:0}°");
            t.AddRow("worst head flexion", $"{s.WorstHeadFlexionDeg:0}°");
            t.AddRow("live stream", $"{s.LiveFrames} frames, {s.LiveGaps} gaps, {s.Malformed} malformed");
            t.AddRow("session file", $"{s.SessionBytes} bytes");
            t.AddRow("wall time", $"{s.WallSeconds:0.0} s");
            t.AddRow("matches the script", s.MatchesScript ? "[green]yes[/]" : "[red]no[/]");
            console.Write(t);
        }
    }
}
