using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using HingeSensor.Host.Analysis;
using HingeSensor.Host.IO;
using HingeSensor.Host.Simulation;

namespace HingeSensor.Host.Cli
{
    /// <summary>`hinge analyze`: the device's pipeline over a raw recording → calibration, alerts, reps.</summary>
    internal static class AnalyzeCommand
    {
        public static Command Create()
        {
            var input = new Option<string>("--input") { Description = "Raw recording (CSV v1, gzip or plain).", Required = true };
            var output = new Option<string>("--out") { Description = "Where to write result.json.", Required = true };
            var samples = new Option<string?>("--samples") { Description = "Also write the per-sample metrics as CSV." };
            var peak = new Option<bool>("--peak-memory") { Description = "Print this process's peak resident memory at the end (for benchmarks)." };
            var cmd = new Command("analyze", "Analyse a raw recording: calibration, alerts and the rep table.") { input, output, samples, peak };
            cmd.SetAction(parse =>
            {
                TextWriter stdout = parse.InvocationConfiguration.Output;
                try
                {
                    AnalysisResult result;
                    string? samplesPath = parse.GetValue(samples);
                    using (FileStream? s = samplesPath != null ? new FileStream(samplesPath, FileMode.Create, FileAccess.Write) : null)
                        result = RecordingAnalyzer.Analyze(parse.GetValue(input)!, samplesCsv: s);
                    File.WriteAllText(parse.GetValue(output)!, JsonSerializer.Serialize(result, SimulationExport.Json));
                    stdout.WriteLine($"{result.Samples} samples, {result.DurationS:0.0} s: {result.CountedReps} reps, {result.Alerts.Count} alerts → {parse.GetValue(output)}");
                    if (parse.GetValue(peak))
                        stdout.WriteLine($"peak_memory_bytes={System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64}");
                    return 0;
                }
                catch (Exception e) when (e is DataFormatException || e is IOException || e is UnauthorizedAccessException)
                {
                    parse.InvocationConfiguration.Error.WriteLine("hinge analyze: " + e.Message);
                    return 2;
                }
            });
            return cmd;
        }
    }
}
