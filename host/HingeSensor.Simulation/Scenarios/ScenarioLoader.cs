using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using HingeSensor.Simulation.Choreography;
using HingeSensor.Simulation.Sensors;

namespace HingeSensor.Simulation.Scenarios
{
    /// <summary>A scenario that cannot be used: says which file and what is wrong with it.</summary>
    public sealed class ScenarioException : Exception
    {
        public ScenarioException(string message, Exception? inner = null) : base(message, inner) { }
    }

    /// <summary>Reads and validates scenario files; resolves built-in scenario names.</summary>
    public static class ScenarioLoader
    {
        private static readonly JsonSerializerOptions Options = new()
        {
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        /// <summary>Where the scenarios shipped with the program are (copied next to it at build time).</summary>
        public static string BuiltInDirectory => Path.Combine(AppContext.BaseDirectory, "scenarios");

        /// <summary>The default evaluation suite.</summary>
        public static string DefaultSuiteDirectory => Path.Combine(BuiltInDirectory, "default");

        /// <summary>A suite directory, or the name of a built-in suite ("default", "ci", "coaching", "borderline"); null is the default suite.</summary>
        public static string ResolveSuite(string? directoryOrName)
        {
            if (directoryOrName == null) return DefaultSuiteDirectory;
            if (Directory.Exists(directoryOrName)) return directoryOrName;
            string builtIn = Path.Combine(BuiltInDirectory, directoryOrName);
            return Directory.Exists(builtIn) ? builtIn : directoryOrName; // a missing directory is reported by the caller, by the name given
        }

        /// <summary>A path to a .json file, or the name of a built-in scenario (e.g. "demo", "default/lifter-01").</summary>
        public static (Scenario Scenario, string Path) Load(string fileOrName)
        {
            string path = Resolve(fileOrName);
            Scenario scenario;
            try
            {
                using FileStream f = File.OpenRead(path);
                scenario = JsonSerializer.Deserialize<Scenario>(f, Options) ?? throw new ScenarioException($"{path}: empty scenario");
            }
            catch (JsonException e)
            {
                throw new ScenarioException($"{path}: line {(e.LineNumber ?? -1) + 1}: {e.Message}", e);
            }
            try
            {
                Validate(scenario);
            }
            catch (ArgumentException e)
            {
                throw new ScenarioException($"{path}: {e.Message}", e);
            }
            return (scenario, path);
        }

        public static string Resolve(string fileOrName)
        {
            if (File.Exists(fileOrName)) return Path.GetFullPath(fileOrName);
            string name = fileOrName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? fileOrName : fileOrName + ".json";
            string builtIn = Path.Combine(BuiltInDirectory, name);
            if (File.Exists(builtIn)) return builtIn;
            if (Directory.Exists(BuiltInDirectory))
            {
                string? match = Directory.EnumerateFiles(BuiltInDirectory, Path.GetFileName(name), SearchOption.AllDirectories).FirstOrDefault();
                if (match != null) return match;
            }
            throw new ScenarioException($"no scenario file '{fileOrName}' and no built-in scenario of that name (built-ins: {string.Join(", ", BuiltInNames())})");
        }

        public static IEnumerable<string> BuiltInNames()
        {
            if (!Directory.Exists(BuiltInDirectory)) return Array.Empty<string>();
            return Directory.EnumerateFiles(BuiltInDirectory, "*.json", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(BuiltInDirectory, f)[..^5].Replace('\\', '/')).OrderBy(n => n);
        }

        /// <summary>Checks every field a simulation relies on; throws ArgumentException naming the field.</summary>
        public static void Validate(Scenario s)
        {
            if (string.IsNullOrWhiteSpace(s.Name)) throw new ArgumentException("name is empty");
            new Mpu6050Config
            {
                AccelRangeG = s.Sensors.AccelRangeG, GyroRangeDps = s.Sensors.GyroRangeDps, DlpfCfg = s.Sensors.DlpfCfg, RateHz = s.RateHz,
            }.Validate();
            s.Person.ToPerson().Validate();
            if (s.Sensors.Mounting is not ("strap" or "random" or "aligned")) throw new ArgumentException($"sensors.mounting '{s.Sensors.Mounting}': expected strap, random or aligned");
            if (s.Sensors.StrapOffsetCm < 0 || s.Sensors.StrapOffsetCm > 10) throw new ArgumentException($"sensors.strap_offset_cm {s.Sensors.StrapOffsetCm} outside 0-10");
            if (s.Seeds.Count == 0) throw new ArgumentException("seeds is empty");
            if (s.Sequence.Count == 0) throw new ArgumentException("sequence is empty");
            for (int i = 0; i < s.Sequence.Count; i++)
            {
                SequenceStep step = s.Sequence[i];
                string at = $"sequence[{i}] ({step.Do})";
                switch (step.Do)
                {
                    case "stand":
                        if (step.Style is not (null or "still" or "shift" or "look_around")) throw new ArgumentException($"{at}: style '{step.Style}': expected still, shift or look_around");
                        break;
                    case "calibrate_neutral": case "calibrate_hinge": case "toe_touch": case "walk": case "sit": case "reach":
                    case "seated_reach": case "tie_shoe":
                        break;
                    case "sit_to_stand":
                        if (step.Reps is < 1 or > 500) throw new ArgumentException($"{at}: reps must be 1-500");
                        break;
                    case "set": case "squat": case "stoop": case "deadlift": case "swing":
                        if ((step.Do == "set" && step.Reps is null) || step.Reps is < 1 or > 500) throw new ArgumentException($"{at}: reps must be 1-500");
                        Range(step.DepthDeg, at, "depth_deg", 20, 140);
                        Range(step.DescentS, at, "descent_s", 0.3, 10);
                        Range(step.PauseS, at, "pause_s", 0, 20);
                        Range(step.AscentS, at, "ascent_s", 0.3, 10);
                        Range(step.RestBetweenS, at, "rest_between_s", 0.3, 60);
                        if (step.Faults != null)
                        {
                            foreach (string k in step.Faults.Keys) Choreographer.ParseFault(k);
                            if (step.Faults.Values.Any(p => p < 0) || step.Faults.Values.Sum() > 1 + 1e-9) throw new ArgumentException($"{at}: fault probabilities must be ≥ 0 and sum to at most 1");
                        }
                        if (step.Plan != null) foreach (string k in step.Plan) Choreographer.ParseFault(k);
                        if (step.Lockouts != null) foreach (string k in step.Lockouts) Choreographer.ParseLockout(k);
                        if (step.BorderlineDeg != null)
                        {
                            if (step.BorderlineDeg.Length == 0 || step.BorderlineDeg.Any(o => Math.Abs(o) > 10)) throw new ArgumentException($"{at}: borderline_deg must list offsets within ±10°");
                            if (step.Faults != null || step.Plan == null) throw new ArgumentException($"{at}: borderline_deg needs a plan of faults (not probabilities)");
                        }
                        if (step.Depth is not (null or "deep" or "half")) throw new ArgumentException($"{at}: depth '{step.Depth}': expected deep or half");
                        if (step.Load is not (null or "bodyweight" or "loaded")) throw new ArgumentException($"{at}: load '{step.Load}': expected bodyweight or loaded");
                        if (step.Do != "squat" && (step.Depth != null || step.Load != null)) throw new ArgumentException($"{at}: depth and load are squat parameters");
                        break;
                    default:
                        throw new ArgumentException($"{at}: unknown step (expected stand, calibrate_neutral, calibrate_hinge, toe_touch, set, squat, stoop, deadlift, swing, walk, sit, sit_to_stand, seated_reach, tie_shoe, reach)");
                }
                if (step.DurationS is <= 0 or > 36000) throw new ArgumentException($"{at}: duration_s must be in (0, 36000]");
                if (step.Count is < 1 or > 1000) throw new ArgumentException($"{at}: count must be 1-1000");
                if (step.SpeedMps is <= 0 or > 3) throw new ArgumentException($"{at}: speed_mps must be in (0, 3]");
            }
        }

        private static void Range(double[]? r, string at, string name, double lo, double hi)
        {
            if (r == null) return;
            if (r.Length != 2 || r[0] > r[1] || r[0] < lo || r[1] > hi) throw new ArgumentException($"{at}: {name} must be [min, max] within {lo}-{hi}");
        }
    }
}
