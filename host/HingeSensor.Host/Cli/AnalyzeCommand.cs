using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Host.Analysis;
using HingeSensor.Host.IO;
using HingeSensor.Host.Recording;

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
            var neutral = new Option<string?>("--neutral") { Description = "Neutral window T0-T1 (seconds on the recording's clock: standing still and tall), instead of the recording's own or the automatic one." };
            var hinge = new Option<string?>("--hinge") { Description = "Hinge window T0-T1 (seconds: a slow straight-back hinge down and up), instead of the recording's own or the automatic one." };
            var peak = new Option<bool>("--peak-memory") { Description = "Print this process's peak resident memory at the end (for benchmarks)." };
            var save = new Option<bool>("--save") { Description = "Also store the session (frames at 25 Hz, reps, alerts, calibration) in the database, as a download would." };
            var db = new Option<string?>("--db") { Description = "Database file for --save (default: the per-user data directory)." };
            var cmd = new Command("analyze", "Analyse a raw recording: calibration, alerts and the rep table.") { input, output, samples, neutral, hinge, peak, save, db };
            cmd.SetAction(parse =>
            {
                TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
                string inputPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
                string? samplesPath = parse.GetValue(samples);
                if (Refused(stderr, inputPath, outPath, samplesPath)) return 2;
                TimeWindow? neutralWindow = null, hingeWindow = null;
                foreach (var (option, text) in new[] { ("--neutral", parse.GetValue(neutral)), ("--hinge", parse.GetValue(hinge)) })
                {
                    if (text == null) continue;
                    if (!TimeWindow.TryParse(text, out TimeWindow w))
                    {
                        stderr.WriteLine($"hinge analyze: {option} '{text}' is not a window T0-T1 in seconds with T0 < T1 (e.g. {option} 2.5-4.5)");
                        return 2;
                    }
                    if (option == "--neutral") neutralWindow = w; else hingeWindow = w;
                }
                string? samplesTemp = samplesPath != null ? samplesPath + ".partial" : null;
                try
                {
                    AnalysisResult result;
                    FrameDecimator? frames = parse.GetValue(save) ? new FrameDecimator(RecordRateHz) : null;
                    BodyCalibration? calibration = null;
                    var settings = new TrackerSettings();
                    // The metrics go to a temporary file first: a recording that fails half-way leaves any earlier file as it was.
                    using (FileStream? s = samplesTemp != null ? new FileStream(samplesTemp, FileMode.Create, FileAccess.Write) : null)
                        result = RecordingAnalyzer.Analyze(inputPath, settings, samplesCsv: s, sampleProcessed: frames == null ? null : (t, tracker) =>
                        {
                            frames.Add(t, tracker);
                            calibration = tracker.Calibration;
                        }, neutral: neutralWindow, hinge: hingeWindow);
                    if (!result.Calibrated)
                    {
                        // No calibration, no angles: "0 reps, 0 alerts" would read as a wearer who never moved.
                        stderr.WriteLine($"hinge analyze: {inputPath}: not calibrated, so there are no angles, reps or alerts to report (nothing written to {outPath}).");
                        foreach (string line in CalibrationAdvice.Explain(result, settings)) stderr.WriteLine("  " + line);
                        return 1;
                    }
                    File.WriteAllText(outPath, JsonSerializer.Serialize(result, JsonOutput.Options));
                    if (samplesTemp != null) File.Move(samplesTemp, samplesPath!, overwrite: true);
                    stdout.WriteLine($"{result.Samples} samples, {result.DurationS:0.0} s: {result.CountedReps} reps, {result.Alerts.Count} alerts → {outPath}");
                    if (frames != null)
                    {
                        using var database = CliDatabase.Open(parse, parse.GetValue(db));
                        uint crc = ContentCrc(inputPath);
                        var (id, inserted) = database.ImportAnalysis(Path.GetFileName(inputPath), crc, result, frames.Frames, frames.RateHz, calibration);
                        stdout.WriteLine(inserted ? $"saved as session #{id} in {database.Path}" : $"already stored as session #{id} in {database.Path}");
                    }
                    if (parse.GetValue(peak))
                        stdout.WriteLine($"peak_memory_bytes={System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64}");
                    return 0;
                }
                catch (Exception e) when (e is DataFormatException || e is IOException || e is UnauthorizedAccessException || e is Microsoft.Data.Sqlite.SqliteException)
                {
                    stderr.WriteLine("hinge analyze: " + e.Message);
                    return 2;
                }
                finally
                {
                    if (samplesTemp != null && File.Exists(samplesTemp)) File.Delete(samplesTemp);
                }
            });
            return cmd;
        }

        // An output that is the input (by any route: ./, .., a symbolic link) would be emptied before it is read.
        private static bool Refused(TextWriter stderr, string input, string output, string? samples)
        {
            foreach (var (option, path) in new[] { ("--out", output), ("--samples", samples) })
            {
                if (path == null || !CanonicalPath.Same(path, input)) continue;
                stderr.WriteLine($"hinge analyze: {option} {path} is the input recording itself; it would be overwritten before it is read. Write to another file.");
                return true;
            }
            if (samples != null && CanonicalPath.Same(samples, output))
            {
                stderr.WriteLine($"hinge analyze: --samples and --out are the same file ({samples}); give each its own.");
                return true;
            }
            return false;
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
