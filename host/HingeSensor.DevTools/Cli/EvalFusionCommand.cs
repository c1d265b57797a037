using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text.Json;
using HingeSensor.DevTools.Evaluation;
using HingeSensor.Host.IO;

namespace HingeSensor.DevTools.Cli
{
    /// <summary>`hinge-dev eval fusion`: the orientation filter on single-IMU recordings with an optical reference.</summary>
    internal static class EvalFusionCommand
    {
        public static Command Create()
        {
            var input = new Option<string>("--input")
            {
                Description = "A recording (.csv or .csv.gz, BROAD layout) or a directory of them. Default: the BROAD trials in the data directory ($" + EvaluationData.DirectoryVariable + " or ../shared/data).",
            };
            var output = new Option<string>("--out") { Description = "Directory for the estimates, one <stem>.csv each.", Required = true };
            var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object." };
            var interval = new Option<double>("--correct-interval")
            {
                Description = "Correct the filter every S seconds, integrating every sample, as the device does (its default: "
                              + new HingeSensor.Algorithms.Pipeline.TrackerSettings().CorrectionIntervalS.ToString(CultureInfo.InvariantCulture) + " s). 0 = every sample.",
                DefaultValueFactory = _ => 0,
            };
            var cmd = new Command("fusion", "Run the orientation filter over recordings and report the 6-D inclination RMSE.") { input, output, json, interval };
            cmd.SetAction(parse =>
            {
                TextWriter stdout = parse.InvocationConfiguration.Output;
                TextWriter stderr = parse.InvocationConfiguration.Error;
                string source = parse.GetValue(input) ?? EvaluationData.BroadDirectory;
                try
                {
                    var results = new List<FusionTrialResult>();
                    foreach (string file in FusionEvaluation.FindInputs(source))
                    {
                        results.Add(FusionEvaluation.Run(file, parse.GetValue(output)!, null, parse.GetValue(interval)));
                    }
                    Print(results, parse.GetValue(json), stdout);
                    return 0;
                }
                catch (Exception e) when (e is IOException || e is DataFormatException || e is UnauthorizedAccessException)
                {
                    stderr.WriteLine("hinge-dev eval fusion: " + e.Message);
                    return 2;
                }
            });
            return cmd;
        }

        private static void Print(List<FusionTrialResult> results, bool json, TextWriter stdout)
        {
            double sum = 0;
            int n = 0;
            foreach (FusionTrialResult r in results)
            {
                if (r.InclinationRmseDeg is double v) { sum += v; n++; }
            }
            double? mean = n > 0 ? sum / n : null;
            if (json)
            {
                var trials = new Dictionary<string, object?>();
                foreach (FusionTrialResult r in results)
                    trials[r.Stem] = new Dictionary<string, object?> { ["rows"] = r.Rows, ["scored_rows"] = r.ScoredRows, ["inclination_rmse_deg"] = r.InclinationRmseDeg, ["output"] = r.OutputPath };
                stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?> { ["trials"] = trials, ["mean_inclination_rmse_deg"] = mean }));
                return;
            }
            stdout.WriteLine("trial                                      rows  scored  incl. RMSE (deg)");
            foreach (FusionTrialResult r in results)
            {
                string rmse = r.InclinationRmseDeg is double v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "no reference";
                stdout.WriteLine($"{r.Stem,-40} {r.Rows,7} {r.ScoredRows,7}  {rmse}");
            }
            if (mean is double m)
                stdout.WriteLine($"mean 6-D inclination RMSE over {n} trial(s): {m.ToString("0.000", CultureInfo.InvariantCulture)} deg");
        }
    }
}
