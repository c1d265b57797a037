using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using HingeSensor.DevTools.DeviceBuild;
using HingeSensor.Host.Cli;
using HingeSensor.Host.Recording;
using HingeSensor.Simulation;
using HingeSensor.Simulation.Scenarios;

namespace HingeSensor.DevTools.Benchmarks
{
    /// <summary>
    /// Streaming import in numbers: simulate a long recording, then run `hinge analyze` on it in a
    /// child process and read that process's peak memory, for the whole recording and for its first
    /// tenth. Bounded memory means the two peaks are about the same.
    /// </summary>
    public static class AnalyzeBenchmark
    {
        public sealed record Figures(double Minutes, long Rows, long Bytes, double SimulateS, double AnalyzeS, long PeakBytes, double TenthMinutes, double TenthAnalyzeS, long TenthPeakBytes);

        public static Scenario LongSession(double minutes)
        {
            var seq = new List<SequenceStep>
            {
                new() { Do = "calibrate_neutral", DurationS = 4 },
                new() { Do = "calibrate_hinge" },
            };
            // A training hour: sets of 10 hinges, walking, sitting, reaching, standing between them (~4.5 min a round).
            int rounds = (int)Math.Ceiling(minutes / 4.5);
            for (int i = 0; i < rounds; i++)
            {
                seq.Add(new() { Do = "set", Reps = 10, Faults = new() { ["lumbar_rounding"] = 0.1, ["chin_drop"] = 0.1, ["head_up"] = 0.1 } });
                seq.Add(new() { Do = "walk", DurationS = 60 });
                seq.Add(new() { Do = "sit", DurationS = 90, Slump = true, Phone = true });
                seq.Add(new() { Do = "reach", Count = 3 });
                seq.Add(new() { Do = "stand", DurationS = 30, Style = "shift" });
            }
            return new Scenario { Name = $"bench-{minutes:0}min", Seeds = new() { 1 }, Sequence = seq };
        }

        public static Figures Run(double minutes, string workDir)
        {
            Directory.CreateDirectory(workDir);
            string raw = Path.Combine(workDir, "long.csv");
            var sw = Stopwatch.StartNew();
            var sim = new WearerSimulation(LongSession(minutes), 1);
            SimulatedRecording.Write(sim, raw, null);
            double simulateS = sw.Elapsed.TotalSeconds;
            long rows = File.ReadLines(raw).LongCount(l => !l.StartsWith('#')) - 1;

            // The first tenth of the same recording, for the memory comparison.
            string tenth = Path.Combine(workDir, "tenth.csv");
            File.WriteAllLines(tenth, File.ReadLines(raw).Take((int)(rows / 10) + 12));

            var (analyzeS, peak) = AnalyzeInChild(raw, workDir);
            var (tenthS, tenthPeak) = AnalyzeInChild(tenth, workDir);
            return new Figures(sim.DurationS / 60, rows, new FileInfo(raw).Length, simulateS, analyzeS, peak, sim.DurationS / 600, tenthS, tenthPeak);
        }

        private static (double Seconds, long PeakBytes) AnalyzeInChild(string input, string workDir)
        {
            // `hinge analyze` as a user runs it: hinge.dll (beside this program) in a process of its own.
            string hinge = typeof(HingeCli).Assembly.Location;
            var psi = new ProcessStartInfo(ToolRun.Dotnet()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(hinge);
            foreach (string a in new[] { "analyze", "--input", input, "--out", Path.Combine(workDir, "result.json"), "--peak-memory" }) psi.ArgumentList.Add(a);
            var sw = Stopwatch.StartNew();
            using Process p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            string error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            double seconds = sw.Elapsed.TotalSeconds;
            if (p.ExitCode != 0) throw new InvalidOperationException("hinge analyze failed: " + error);
            string line = output.Split('\n').First(l => l.StartsWith("peak_memory_bytes=", StringComparison.Ordinal));
            return (seconds, long.Parse(line["peak_memory_bytes=".Length..].Trim()));
        }
    }
}
