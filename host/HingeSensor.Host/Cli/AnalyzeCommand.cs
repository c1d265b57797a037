using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Host.Analysis;
using HingeSensor.Host.Storage;
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
            var save = new Option<bool>("--save") { Description = "Also store the session (frames at 25 Hz, reps, alerts, calibration) in the database, as a download would." };
            var db = new Option<string?>("--db") { Description = "Database file for --save (default: the per-user data directory)." };
            var cmd = new Command("analyze", "Analyse a raw recording: calibration, alerts and the rep table.") { input, output, samples, peak, save, db };
            cmd.SetAction(parse =>
            {
                TextWriter stdout = parse.InvocationConfiguration.Output;
                try
                {
                    AnalysisResult result;
                    string? samplesPath = parse.GetValue(samples);
                    FrameDecimator? frames = parse.GetValue(save) ? new FrameDecimator(RecordRateHz) : null;
                    BodyCalibration? calibration = null;
                    using (FileStream? s = samplesPath != null ? new FileStream(samplesPath, FileMode.Create, FileAccess.Write) : null)
                        result = RecordingAnalyzer.Analyze(parse.GetValue(input)!, samplesCsv: s, sampleProcessed: frames == null ? null : (t, tracker) =>
                        {
                            frames.Add(t, tracker);
                            calibration = tracker.Calibration;
                        });
                    File.WriteAllText(parse.GetValue(output)!, JsonSerializer.Serialize(result, SimulationExport.Json));
                    stdout.WriteLine($"{result.Samples} samples, {result.DurationS:0.0} s: {result.CountedReps} reps, {result.Alerts.Count} alerts → {parse.GetValue(output)}");
                    if (frames != null)
                    {
                        string path = parse.GetValue(input)!;
                        using var database = CliDatabase.Open(parse, parse.GetValue(db));
                        uint crc = ContentCrc(path);
                        var (id, inserted) = database.ImportAnalysis(Path.GetFileName(path), crc, result, frames.Frames, frames.RateHz, calibration);
                        stdout.WriteLine(inserted ? $"saved as session #{id} in {database.Path}" : $"already stored as session #{id} in {database.Path}");
                    }
                    if (parse.GetValue(peak))
                        stdout.WriteLine($"peak_memory_bytes={System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64}");
                    return 0;
                }
                catch (Exception e) when (e is DataFormatException || e is IOException || e is UnauthorizedAccessException || e is Microsoft.Data.Sqlite.SqliteException)
                {
                    parse.InvocationConfiguration.Error.WriteLine("hinge analyze: " + e.Message);
                    return 2;
                }
            });
            return cmd;
        }

        /// <summary>The rate a device records frames at by default; saved analyses match it.</summary>
        private const double RecordRateHz = 25;

        // Identity of a recording for idempotent saving: the same file saved twice is stored once.
        private static uint ContentCrc(string path)
        {
            var crc = new System.IO.Hashing.Crc32();
            using FileStream f = File.OpenRead(path);
            crc.Append(f);
            return crc.GetCurrentHashAsUInt32();
        }
    }
}
