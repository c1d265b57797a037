using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using HingeSensor.DevTools.Evaluation.PublicRecordings;
using HingeSensor.Host.Analysis;
using HingeSensor.Host.IO;

namespace HingeSensor.DevTools.Cli
{
    /// <summary>`hinge-dev eval public`: what the product says on recordings nobody here made (docs/public-recordings.md).</summary>
    internal static class EvalPublicCommand
    {
        public static Command Create()
        {
            var trunky = new Option<string>("--trunkyxl") { Description = "A clone of github:CarmenEnsink/TrunkyXL. Default: $" + PublicRecordingData.DirectoryVariable + "/TrunkyXL or ../public/TrunkyXL." };
            var arai = new Option<string>("--arai") { Description = "A clone of github:Arai-4-Data-Analysis-Team/Wearables-Data-Analysis at a648109. Default: $" + PublicRecordingData.DirectoryVariable + "/Wearables-Data-Analysis or ../public/Wearables-Data-Analysis." };
            var keep = new Option<string>("--keep") { Description = "Keep the converted raw recordings (docs/raw-csv.md) in this directory, to `hinge analyze` or `hinge report` them." };
            var json = new Option<bool>("--json") { Description = "Print the verdicts as one JSON object." };
            var cmd = new Command("public", "Convert the public recordings (TrunkyXL, SpineWise/Arai) and report what the product says on them: calibration, reps and patterns, alerts, activity.") { trunky, arai, keep, json };
            cmd.SetAction(parse =>
            {
                TextWriter stdout = parse.InvocationConfiguration.Output;
                TextWriter stderr = parse.InvocationConfiguration.Error;
                string? trunkyRoot = Existing(parse.GetValue(trunky), PublicRecordingData.TrunkyXl, "--trunkyxl", stderr, out bool badTrunky);
                string? araiRoot = Existing(parse.GetValue(arai), PublicRecordingData.Arai, "--arai", stderr, out bool badArai);
                if (badTrunky || badArai) return 2;
                if (trunkyRoot == null && araiRoot == null)
                {
                    stderr.WriteLine($"hinge-dev eval public: no public recordings found under {PublicRecordingData.Directory} (see docs/public-recordings.md for how to get them, or give --trunkyxl / --arai)");
                    return 2;
                }
                string? keepDir = parse.GetValue(keep);
                string work = keepDir ?? Path.Combine(Path.GetTempPath(), "hinge-eval-public-" + Guid.NewGuid().ToString("N"));
                try
                {
                    PublicRecordingEvaluation.Outcome outcome = PublicRecordingEvaluation.Run(trunkyRoot, araiRoot, work);
                    if (parse.GetValue(json)) PrintJson(outcome, stdout);
                    else PrintText(outcome, stdout);
                    return 0;
                }
                catch (Exception e) when (e is IOException || e is DataFormatException || e is UnauthorizedAccessException)
                {
                    stderr.WriteLine("hinge-dev eval public: " + e.Message);
                    return 2;
                }
                finally
                {
                    if (keepDir == null && Directory.Exists(work)) Directory.Delete(work, true);
                }
            });
            return cmd;
        }

        /// <summary>A given folder must exist (an error otherwise); the default one is used only when it does.</summary>
        private static string? Existing(string? given, string fallback, string option, TextWriter stderr, out bool bad)
        {
            bad = false;
            if (given == null) return Directory.Exists(fallback) ? fallback : null;
            if (Directory.Exists(given)) return Path.GetFullPath(given);
            stderr.WriteLine($"hinge-dev eval public: {option} {given}: no such directory");
            bad = true;
            return null;
        }

        private static void PrintJson(PublicRecordingEvaluation.Outcome o, TextWriter stdout)
        {
            var body = new Dictionary<string, object?>
            {
                ["recordings"] = o.Verdicts,
                ["skipped"] = o.Skipped,
                ["summary"] = PublicSummary.Of(o.Verdicts),
            };
            stdout.WriteLine(JsonSerializer.Serialize(body, JsonOutput.Options));
        }

        private static void PrintText(PublicRecordingEvaluation.Outcome o, TextWriter stdout)
        {
            foreach (RecordingVerdict v in o.Verdicts)
            {
                stdout.WriteLine($"{v.Dataset} {v.Name}  {F(v.DurationS)} s  {(v.Calibrated ? "calibrated" : "NOT calibrated")}");
                foreach (string c in v.Calibration) stdout.WriteLine("  calibration: " + c);
                stdout.WriteLine("  activity: " + string.Join(", ", v.ActivitySeconds.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {F(kv.Value)} s")));
                stdout.WriteLine($"  reps: {v.Reps.Count}" + (v.Reps.Count > 0 ? " (" + string.Join(", ", v.Reps.GroupBy(r => r.Pattern).Select(g => $"{g.Key} {g.Count()}")) + ")" : ""));
                foreach (RepRecord r in v.Reps)
                    stdout.WriteLine($"    rep {r.Number} {F(r.StartS)}–{F(r.EndS)} s {r.Pattern} depth {F(r.DepthDeg)}° pelvis share {F(r.PelvisShare)} (at the start {F(r.LeadShare)}) drop {F(r.SacrumDropCm)} cm lockout {r.Lockout}" + (r.Faults.Count > 0 ? " faults " + string.Join("+", r.Faults) : ""));
                stdout.WriteLine($"  alerts: {v.Alerts.Count}" + string.Concat(v.Alerts.Select(a => $"  [{a.Fault} {F(a.OnsetS)} s peak {F(a.PeakDeg)}°]")));
                foreach (var kv in v.ByLabel)
                    stdout.WriteLine($"  label {kv.Key} ({kv.Value.Spans}×, {F(kv.Value.Seconds)} s): " + string.Join(", ", kv.Value.ActivitySeconds.OrderByDescending(x => x.Value).Select(x => $"{x.Key} {Pct(x.Value, kv.Value.Seconds)}"))
                        + (kv.Value.RepPatterns.Count > 0 ? "; reps " + string.Join(", ", kv.Value.RepPatterns.Select(x => $"{x.Key} {x.Value}")) : "")
                        + (kv.Value.Alerts.Count > 0 ? "; alerts " + string.Join(", ", kv.Value.Alerts.Select(x => $"{x.Key} {x.Value}")) : ""));
            }
            foreach (TrunkyXlTrial.Skipped s in o.Skipped) stdout.WriteLine($"skipped {s.Name}: {s.Reason}");
            PublicSummary summary = PublicSummary.Of(o.Verdicts);
            foreach (PublicSummary.DatasetFigures d in summary.Datasets)
                stdout.WriteLine($"{d.Dataset}: {d.Recordings} recordings, {F(d.Minutes)} min, calibrated {d.Calibrated}, reps {d.Reps}, alerts {d.Alerts} ({F(d.AlertsPerHour)} / h), sitting {Pct(d.SittingSeconds, d.Minutes * 60)}");
        }

        private static string F(double v) => double.IsNaN(v) ? "?" : v.ToString("0.##", CultureInfo.InvariantCulture);
        private static string Pct(double part, double whole) => whole > 0 ? (100 * part / whole).ToString("0", CultureInfo.InvariantCulture) + " %" : "-";
    }
}
