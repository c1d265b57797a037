using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HingeSensor.Algorithms.Fusion;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.DevTools.Benchmarks;
using HingeSensor.Host.Cli;
using HingeSensor.VirtualDevice;

namespace HingeSensor.DevTools.Cli
{
    /// <summary>`hinge-dev bench`: performance figures, printed; no pass/fail.</summary>
    internal static class BenchCommand
    {
        public static Command Create()
        {
            var cmd = new Command("bench", "Print performance figures (build with -c Release).");
            cmd.Subcommands.Add(Algorithms());
            cmd.Subcommands.Add(Analyze());
            cmd.Subcommands.Add(Firmware());
            cmd.Subcommands.Add(HostFigures());
            cmd.Subcommands.Add(DeviceBenchCommand.Create());
            cmd.Subcommands.Add(TeamBenchCommand.Create());
            cmd.Subcommands.Add(ServerBenchCommand.Create());
            return cmd;
        }

        // Calibration captures run for a few seconds after a button press and finish once: the
        // steady-state sample (what runs 100 times a second while training) does not take them.
        private static readonly string[] SteadyStateExcludes =
        {
            "PostureTracker.Capture", "PostureTracker.CheckCaptureEnd", "PostureTracker.EndCalibration",
            "NeutralCapture.AddMissing", "HingeCapture.AddMissing", "RangeCapture.Add",
        };

        // The device's loop while training: what a sample costs, excluding requests and downloads
        // (they run when the host asks, not per sample) and calibration finishing (once per capture).
        private static readonly string[] DeviceSteadyExcludes = SteadyStateExcludes.Concat(new[]
        {
            "RequestDispatcher.Execute", "DownloadPump.Pump", "DeviceCore.Boot", "SessionStore.Recover",
        }).ToArray();

        private static Command Firmware()
        {
            var sets = new Option<int>("--sets") { Description = "Sets of 10 hinges (with walking between) to run.", DefaultValueFactory = _ => 4 };
            var cmd = new Command("firmware", "The firmware core on the virtual rig: ns per lockstep sample vs the tracker alone, IL of the device loop, recording size.") { sets };
            cmd.SetAction(parse =>
            {
                TextWriter o = parse.InvocationConfiguration.Output;
                FirmwareBenchmark.Figures f = FirmwareBenchmark.Run(parse.GetValue(sets));
                double bytesPerS = f.SessionBytes / f.SessionSeconds;
                o.WriteLine(string.Format(CultureInfo.InvariantCulture, "device loop (DeviceCore.Tick: 3 FIFO drains through the register models, fusion, decision, haptics, recording, live at 50 Hz): {0:0} ns per sample over {1} samples", f.DeviceNsPerSample, f.Samples));
                o.WriteLine(string.Format(CultureInfo.InvariantCulture, "baseline, PostureTracker.Update alone on the same samples: {0:0} ns per sample; ratio {1:0.00}", f.TrackerNsPerSample, f.DeviceNsPerSample / f.TrackerNsPerSample));
                o.WriteLine(string.Format(CultureInfo.InvariantCulture, "three sensors at 100 Hz: {0:0.000} % of one core here", f.DeviceNsPerSample * 100 / 1e9 * 100));
                IlReach reach = IlCallGraph.Measure(TimedTraining.Loop.DeclaringType!, TimedTraining.Loop.Name, DeviceSteadyExcludes);
                o.WriteLine($"IL reached by the device loop (steady state, across our assemblies): {reach.IlBytes} bytes in {reach.Methods} methods; leaves for: {string.Join(", ", reach.ExternalCalls)}");
                o.WriteLine($"    largest: {string.Join(", ", reach.Largest.Select(l => $"{l.Method} {l.IlBytes}"))}");
                o.WriteLine(string.Format(CultureInfo.InvariantCulture, "recording: {0} bytes for {1:0} s = {2:0} B/s → {3:0.0} minutes per 200 KB (the ESP32's internal LittleFS drive holds ~200 KB of sessions)", f.SessionBytes, f.SessionSeconds, bytesPerS, 200 * 1024 / bytesPerS / 60));
                return 0;
            });
            return cmd;
        }

        private static Command HostFigures()
        {
            var sessions = new Option<int>("--sessions") { Description = "How many copies of the recorded session to import.", DefaultValueFactory = _ => 20 };
            var demo = new Option<bool>("--no-demo") { Description = "Skip timing `hinge demo`." };
            var cmd = new Command("host", "SQLite ingest in frames/s, download throughput against the link's capacity, `hinge demo` wall time.") { sessions, demo };
            cmd.SetAction(async (parse, ct) =>
            {
                TextWriter o = parse.InvocationConfiguration.Output;
                string dir = Path.Combine(Path.GetTempPath(), "hinge-bench-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(dir);
                try
                {
                    var (flash, id, bytes) = await HostBenchmark.RecordAsync(dir, 240, 50);
                    HostBenchmark.Ingest ingest = HostBenchmark.MeasureIngest(bytes, parse.GetValue(sessions), dir);
                    o.WriteLine(string.Format(CultureInfo.InvariantCulture, "SQLite ingest (ImportDeviceSession: decode + frames, events, reps, alerts, calibration; WAL): {0} sessions, {1} frames in {2:0.00} s = {3:0} frames/s",
                        ingest.Sessions, ingest.Frames, ingest.ImportS, ingest.Frames / ingest.ImportS));
                    o.WriteLine(string.Format(CultureInfo.InvariantCulture, "baseline, the same frames into a bare table with one prepared statement: {0:0.00} s = {1:0} frames/s; ratio ours/bare {2:0.00}",
                        ingest.BareS, ingest.Frames / ingest.BareS, ingest.ImportS / ingest.BareS));
                    foreach (int mtu in new[] { 23, 185, 247 })
                    {
                        string copy = Path.Combine(dir, "flash-" + mtu);
                        CopyDirectory(flash, copy);
                        HostBenchmark.Download d = await HostBenchmark.MeasureDownloadAsync(copy, id, mtu);
                        o.WriteLine(string.Format(CultureInfo.InvariantCulture, "download at MTU {0,3}: {1} bytes in {2:0.000} s of device time = {3,6:0.0} kB/s; link payload capacity {4,6:0.0} kB/s; ratio {5:P1}",
                            d.Mtu, d.Bytes, d.DeviceSeconds, d.BytesPerS / 1000, d.CapacityBytesPerS / 1000, d.Ratio));
                    }
                    if (!parse.GetValue(demo))
                    {
                        var quiet = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(TextWriter.Null), Ansi = Spectre.Console.AnsiSupport.No, Interactive = Spectre.Console.InteractionSupport.No });
                        var wall = System.Diagnostics.Stopwatch.StartNew();
                        DemoCommand.DemoSummary s = await DemoCommand.RunAsync("demo", Path.Combine(dir, "demo.db"), 12, quiet, ct);
                        double scripted = HingeSensor.Simulation.Scenarios.ScenarioLoader.Load("demo").Scenario is var sc ? new HingeSensor.Simulation.WearerSimulation(sc, sc.Seeds[0]).DurationS : double.NaN;
                        o.WriteLine(string.Format(CultureInfo.InvariantCulture, "hinge demo: {0:0.0} s wall for a {1:0} s workout ({2:0.0}× real time; calibration runs in real time), {3} reps, matches the script: {4}",
                            wall.Elapsed.TotalSeconds, scripted, scripted / wall.Elapsed.TotalSeconds, s.CountedReps, s.MatchesScript ? "yes" : "no"));
                    }
                    return 0;
                }
                finally
                {
                    try { Directory.Delete(dir, true); } catch (IOException) { }
                }
            });
            return cmd;
        }

        private static void CopyDirectory(string from, string to)
        {
            foreach (string d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(d.Replace(from, to));
            Directory.CreateDirectory(to);
            foreach (string f in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(f, f.Replace(from, to), true);
        }

        private static Command Analyze()
        {
            var minutes = new Option<double>("--minutes") { Description = "Length of the simulated recording.", DefaultValueFactory = _ => 60 };
            var keep = new Option<string?>("--keep") { Description = "Keep the recording in this directory." };
            var cmd = new Command("analyze", "Simulate a long recording and time `hinge analyze` on it: wall time and peak memory, against its first tenth.") { minutes, keep };
            cmd.SetAction(parse =>
            {
                TextWriter o = parse.InvocationConfiguration.Output;
                string dir = parse.GetValue(keep) ?? Path.Combine(Path.GetTempPath(), "hinge-bench-" + Guid.NewGuid().ToString("N"));
                try
                {
                    AnalyzeBenchmark.Figures f = AnalyzeBenchmark.Run(parse.GetValue(minutes), dir);
                    o.WriteLine(string.Format(CultureInfo.InvariantCulture, "recording: {0:0.0} min, {1} rows of three IMUs at 100 Hz, {2:0.0} MB CSV; simulated in {3:0.0} s", f.Minutes, f.Rows, f.Bytes / 1e6, f.SimulateS));
                    o.WriteLine(string.Format(CultureInfo.InvariantCulture, "hinge analyze, whole recording:  {0,6:0.0} s wall ({1:0} rows/s, {2:0}× real time), peak memory {3:0.0} MB", f.AnalyzeS, f.Rows / f.AnalyzeS, f.Minutes * 60 / f.AnalyzeS, f.PeakBytes / 1e6));
                    o.WriteLine(string.Format(CultureInfo.InvariantCulture, "hinge analyze, first tenth:      {0,6:0.0} s wall, peak memory {1:0.0} MB", f.TenthAnalyzeS, f.TenthPeakBytes / 1e6));
                    o.WriteLine(string.Format(CultureInfo.InvariantCulture, "peak memory ratio whole/tenth: {0:0.00} (1.0 = memory does not grow with the recording)", (double)f.PeakBytes / f.TenthPeakBytes));
                    return 0;
                }
                finally
                {
                    if (parse.GetValue(keep) == null && Directory.Exists(dir)) Directory.Delete(dir, true);
                }
            });
            return cmd;
        }

        private static Command Algorithms()
        {
            var quick = new Option<bool>("--quick") { Description = "Fewer iterations (noisier figures, ~20 s)." };
            var cmd = new Command("algorithms", "ns per filter update vs Madgwick, ns per three-sensor sample, IL size of the per-sample path.") { quick };
            cmd.SetAction(parse =>
            {
                TextWriter stdout = parse.InvocationConfiguration.Output;
                Job job = (parse.GetValue(quick) ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
                // BenchmarkDotNet's own log goes nowhere: the figures are printed below, once.
                IConfig config = ManualConfig.CreateEmpty().AddJob(job).AddLogger(NullLogger.Instance)
                    .AddColumnProvider(DefaultColumnProviders.Instance).AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
                    .WithOptions(ConfigOptions.DisableLogFile);
                Summary summary = BenchmarkRunner.Run<AlgorithmBenchmarks>(config);

                stdout.WriteLine("Per-sample cost on this machine (BenchmarkDotNet, in-process, " + (parse.GetValue(quick) ? "short run" : "default job") + "):");
                double baseline = double.NaN;
                foreach (BenchmarkReport r in summary.Reports)
                    if (r.BenchmarkCase.Descriptor.Baseline && r.ResultStatistics != null) baseline = r.ResultStatistics.Mean;
                foreach (BenchmarkReport r in summary.Reports.OrderBy(r => r.ResultStatistics?.Mean ?? 0))
                {
                    if (r.ResultStatistics == null) { stdout.WriteLine($"  {r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo}: failed"); continue; }
                    double mean = r.ResultStatistics.Mean;
                    long? alloc = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase);
                    stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-40} {1,9:0.0} ns  ±{2,6:0.0}  {3,5:0.00}× Madgwick  {4} B allocated/op",
                        r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo, mean, r.ResultStatistics.StandardError, mean / baseline, alloc?.ToString(CultureInfo.InvariantCulture) ?? "?"));
                }

                stdout.WriteLine();
                stdout.WriteLine("IL reached from each entry point (the interpreter's proxy for cost on the device):");
                foreach (IlReach reach in new[]
                {
                    IlCallGraph.Measure(typeof(MadgwickFilter), nameof(MadgwickFilter.Update)),
                    IlCallGraph.Measure(typeof(OrientationFilter), nameof(OrientationFilter.Update)),
                    IlCallGraph.Measure(typeof(PostureTracker), nameof(PostureTracker.Update), SteadyStateExcludes) with { EntryPoint = "PostureTracker.Update (steady)" },
                    IlCallGraph.Measure(typeof(PostureTracker), nameof(PostureTracker.Update)) with { EntryPoint = "PostureTracker.Update (all)" },
                })
                {
                    stdout.WriteLine($"  {reach.EntryPoint,-32} {reach.IlBytes,6} bytes of IL in {reach.Methods,3} methods; leaves the assembly for: {string.Join(", ", reach.ExternalCalls)}");
                    stdout.WriteLine($"      largest: {string.Join(", ", reach.Largest.Select(l => $"{l.Method} {l.IlBytes}"))}");
                }
                return 0;
            });
            return cmd;
        }
    }
}
