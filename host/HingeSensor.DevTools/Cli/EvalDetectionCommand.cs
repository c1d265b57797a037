using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using HingeSensor.DevTools.Evaluation;
using HingeSensor.Host.IO;
using HingeSensor.Simulation.Scenarios;

namespace HingeSensor.DevTools.Cli
{
    /// <summary>`hinge-dev eval detection`: detection quality on a simulated suite.</summary>
    internal static class EvalDetectionCommand
    {
        public static Command Create()
        {
            var suite = new Option<string?>("--suite") { Description = "Directory of scenario files, or a built-in suite: default, ci, coaching, borderline, crouch (default: default)." };
            var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object." };
            var verbose = new Option<bool>("--verbose") { Description = "List every missed fault and false alert." };
            var cmd = new Command("detection", "Simulate a suite of scenarios, analyse each recording and score alerts and reps against the labels.") { suite, json, verbose };
            cmd.SetAction(parse =>
            {
                TextWriter stdout = parse.InvocationConfiguration.Output;
                try
                {
                    var (summary, recordings) = DetectionEvaluation.Run(ScenarioLoader.ResolveSuite(parse.GetValue(suite)));
                    if (parse.GetValue(json))
                    {
                        stdout.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions(JsonOutput.Options) { WriteIndented = false }));
                        return 0;
                    }
                    Print(summary, stdout);
                    if (parse.GetValue(verbose))
                    {
                        foreach (RecordingScore r in recordings)
                        {
                            foreach (var m in r.Missed) stdout.WriteLine($"  missed   {r.Name}: {m.Kind} ({m.Variant}) at {m.OnsetS:0.00}-{m.EndS:0.00} s, peak {m.PeakDeg:0.0}°");
                            foreach (var a in r.FalseInExercise) stdout.WriteLine($"  false    {r.Name}: {a.Fault} at {a.StartS:0.00} s in a set, peak {a.PeakDeg:0.0}°");
                            foreach (var a in r.FalseInOther) stdout.WriteLine($"  false    {r.Name}: {a.Fault} at {a.StartS:0.00} s in other activity, peak {a.PeakDeg:0.0}°");
                            if (r.TrueReps != r.DetectedReps) stdout.WriteLine($"  reps     {r.Name}: {r.DetectedReps} counted, {r.TrueReps} true");
                            foreach (var m in r.RepPairs.Missed) stdout.WriteLine($"  missed   {r.Name}: {m.Pattern} rep at {m.StartS:0.00}-{m.EndS:0.00} s, depth {m.DepthDeg:0.0}°");
                            foreach (var p in r.RepPairs.Phantom) stdout.WriteLine($"  phantom  {r.Name}: rep at {p.StartS:0.00}-{p.EndS:0.00} s, depth {p.DepthDeg:0.0}°");
                            double slow = new HingeSensor.Algorithms.Alignment.AlignmentSettings().PersistenceS * 1000 + 50;
                            foreach (var (f, ms) in r.Detections.Where(d => d.Ms > slow))
                                stdout.WriteLine($"  late     {r.Name}: {f.Kind} ({f.Variant}) at {f.OnsetS:0.00}-{f.EndS:0.00} s, peak {f.PeakDeg:0.0}°, alerted after {ms:0} ms");
                            foreach (var b in r.Borderline.Where(b => !b.Correct))
                                stdout.WriteLine($"  border   {r.Name}: {b.Kind} true peak {b.TargetDeg:0.00}°: truth {(b.TrueFault ? "fault" : "clean")}, device {(b.Alerted ? "alerted" : "silent")}");
                        }
                    }
                    return 0;
                }
                catch (Exception e) when (e is ScenarioException || e is IOException || e is DataFormatException)
                {
                    parse.InvocationConfiguration.Error.WriteLine("hinge-dev eval detection: " + e.Message);
                    return 2;
                }
            });
            return cmd;
        }

        private static void Print(DetectionSummary s, TextWriter o)
        {
            string P(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + " %";
            o.WriteLine($"{s.Recordings} recordings, {s.HoursTotal * 60:0.0} min ({s.OtherActivityHours * 60:0.0} min non-exercise activity)");
            o.WriteLine();
            o.WriteLine($"{"fault kind",-16} {"labeled",8} {"detected",9} {"sensitivity",12}");
            foreach (var (k, c) in s.FaultsDetectedOfLabeled)
                o.WriteLine($"{k,-16} {c[1],8} {c[0],9} {P(s.Sensitivity[k]),12}");
            foreach (var (v, sens) in s.SensitivityByVariant)
                o.WriteLine($"  variant {v,-20} {P(sens),12}");
            o.WriteLine();
            o.WriteLine($"reps: {s.DetectedReps} counted of {s.TrueReps} true, rep-count error {P(s.RepCountError)}");
            o.WriteLine($"false alerts: {s.FalseAlertsInExercise} in sets = {s.FalseAlertsPer100CleanReps:0.00} per 100 clean reps ({s.CleanReps} clean reps); {s.FalseAlertsInOther} in other activity = {s.FalseAlertsPerHourOther:0.00} per hour");
            o.WriteLine($"alert latency (true onset → alert): median {s.LatencyMsMedian:0} ms, p95 {s.LatencyMsP95:0} ms");
            HarderFiguresTable.Print(s, o);
        }
    }
}
