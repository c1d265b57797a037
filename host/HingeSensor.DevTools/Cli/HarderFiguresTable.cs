using System.Globalization;
using System.IO;
using System.Linq;
using HingeSensor.DevTools.Evaluation;

namespace HingeSensor.DevTools.Cli
{
    /// <summary>The table lines of the harder figures (issue 12) under the loose ones of `eval detection`.</summary>
    internal static class HarderFiguresTable
    {
        private static string P(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + " %";
        private static string D(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.00", CultureInfo.InvariantCulture);

        public static void Print(DetectionSummary s, TextWriter o)
        {
            o.WriteLine();
            o.WriteLine("strict (one alert ↔ one episode):");
            foreach (var (k, c) in s.Strict.FaultsDetectedOfLabeled)
                o.WriteLine($"  {k,-16} {c[1],6} labeled {c[0],6} detected  sensitivity {P(s.Strict.Sensitivity[k])}");
            o.WriteLine($"  false alerts {s.Strict.FalseAlerts}; chattering {s.Chattering.ExtraAlerts} extra alerts on {s.Chattering.Episodes} episodes ({D(s.Chattering.ExtraAlertsPerEpisode)} per episode)");
            o.WriteLine($"  reps without cancellation: {s.RepCountStrict.Missed} missed + {s.RepCountStrict.Phantom} phantom, error {P(s.RepCountStrict.Error)}");
            if (s.Borderline.Reps > 0)
            {
                o.WriteLine($"borderline reps: {s.Borderline.Correct} of {s.Borderline.Reps} decided right ({P(s.Borderline.Accuracy)})");
                foreach (var (k, c) in s.Borderline.ByKind)
                    o.WriteLine($"  {k,-16} faults alerted {c[0]}/{c[1]}, clean alerted {c[2]}/{c[3]}, accuracy {P(s.Borderline.AccuracyByKind[k])}");
            }
            o.WriteLine("angle error vs truth (per sample): " + string.Join("; ", s.AngleErrorDeg.Select(e =>
                $"{e.Key} median {D(e.Value.Median)}° p95 {D(e.Value.P95)}° max {D(e.Value.Max)}°")));
            o.WriteLine("angle error p95 by true activity (trunk/head): " + string.Join(", ", s.AngleErrorDegByActivity.Select(a =>
                $"{a.Key} {D(a.Value["trunk_flexion"].P95)}/{D(a.Value["head_flexion"].P95)}°")));
            o.WriteLine("false alerts by true activity (strict): " + string.Join(", ", s.FalseAlertsByActivity.Select(a =>
                $"{a.Key} {a.Value.Alerts} in {a.Value.Hours * 60:0.0} min")));
            foreach (var (name, f) in new[] { ("pattern", s.RepCoaching.Pattern), ("depth reached", s.RepCoaching.DepthReached), ("lockout", s.RepCoaching.Lockout) })
            {
                if (!f.Available) { o.WriteLine($"{name}: not available (the analysis result carries no such field)"); continue; }
                o.WriteLine($"{name}: {P(f.Accuracy)} of {f.Reps} paired reps; " + string.Join(", ", f.Confusion.Select(t =>
                    $"true {t.Key} → " + string.Join("/", t.Value.Select(d => $"{d.Key} {d.Value}")))));
            }
            var shape = s.RepCoaching.Shape;
            foreach (var (k, e) in shape.SacrumDropCm)
                o.WriteLine($"sacrum drop error ({k}): median {D(e.Median)} cm p95 {D(e.P95)} cm max {D(e.Max)} cm, bias {D(shape.SacrumDropBiasCm[k])} cm over {e.Samples} reps, unknown {shape.DropUnknown[k]}");
            foreach (var (k, e) in shape.PelvisShare)
                o.WriteLine($"pelvis share error ({k}): median {D(e.Median)} p95 {D(e.P95)} max {D(e.Max)} over {e.Samples} reps");
            foreach (var (cue, a) in s.RepCoaching.Cues)
                o.WriteLine($"cue {cue}: called for by {a.Expected} reps, given {a.Given}, right {a.Right} (recall {P(a.Recall)}, precision {P(a.Precision)})");
        }
    }
}
