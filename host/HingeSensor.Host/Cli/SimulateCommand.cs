using System;
using System.CommandLine;
using System.IO;
using HingeSensor.Host.Recording;
using HingeSensor.Simulation;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.Host.Cli
{
    /// <summary>`hinge simulate`: a scenario played by the simulated wearer, written as a raw recording plus labels.</summary>
    internal static class SimulateCommand
    {
        public static Command Create()
        {
            var scenario = new Option<string>("--scenario") { Description = "A scenario .json file or a built-in name (e.g. demo, default/lifter-01).", Required = true };
            var seed = new Option<int?>("--seed") { Description = "Random seed (default: the scenario's first seed)." };
            var output = new Option<string>("--out") { Description = "The raw recording to write (CSV v1).", Required = true };
            var labels = new Option<string?>("--labels") { Description = "Ground-truth labels to write (JSON; true angles go beside it as <name>.angles.csv)." };
            var cmd = new Command("simulate", "Simulate a wearer doing a scenario: raw IMU recording and ground-truth labels.") { scenario, seed, output, labels };
            cmd.SetAction(parse =>
            {
                TextWriter stdout = parse.InvocationConfiguration.Output;
                try
                {
                    var (sc, path) = ScenarioLoader.Load(parse.GetValue(scenario)!);
                    int s = parse.GetValue(seed) ?? sc.Seeds[0];
                    var sim = new WearerSimulation(sc, s);
                    Labels l = SimulatedRecording.Write(sim, parse.GetValue(output)!, parse.GetValue(labels));
                    stdout.WriteLine($"simulated '{sc.Name}' (seed {s}, {path}): {l.DurationS:0.0} s, {l.Reps.Count} reps ({l.CountedReps} counted), {l.Faults.Count} fault episodes → {parse.GetValue(output)}");
                    return 0;
                }
                catch (Exception e) when (e is ScenarioException || e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
                {
                    parse.InvocationConfiguration.Error.WriteLine("hinge simulate: " + e.Message);
                    return 2;
                }
            });
            return cmd;
        }
    }
}
