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
using HingeSensor.Host.Benchmarks;

namespace HingeSensor.Host.Cli
{
    /// <summary>`hinge bench`: performance figures, printed; no pass/fail.</summary>
    internal static class BenchCommand
    {
        public static Command Create()
        {
            var cmd = new Command("bench", "Print performance figures (build with -c Release).");
            cmd.Subcommands.Add(Algorithms());
            cmd.Subcommands.Add(Analyze());
            return cmd;
        }

        // Calibration captures run for a few seconds after a button press and finish once: the
        // steady-state sample (what runs 100 times a second while training) does not take them.
        private static readonly string[] SteadyStateExcludes =
        {
            "PostureTracker.Capture", "PostureTracker.CheckCaptureEnd", "PostureTracker.EndCalibration",
            "NeutralCapture.AddMissing", "HingeCapture.AddMissing", "RangeCapture.Add",
        };

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
