using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Threading.Tasks;
using HingeSensor.DevTools.DeviceBuild;

namespace HingeSensor.DevTools.Benchmarks
{
    /// <summary>Options of `hinge-dev bench device` (and of its CI test, which runs a short version).</summary>
    public sealed record DeviceBenchOptions
    {
        public static readonly string[] AllScenarios = { "idle", "live", "live_recording", "alert", "download" };

        /// <summary>Measured passes after each scenario's warm-up (10 ms of device time each; a rep cycle is 500).</summary>
        public int Passes { get; init; } = 1000;

        public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;
        public bool Callgrind { get; init; } = true;

        public TextWriter? Progress { get; init; }
    }

    public sealed record ScenarioCost(string Name, int Passes, int Warmup, double AllocationsPerPass, double DeviceBytesPerPass,
        double GcsPerMinute, double EspGcsPerMinute, double? InstructionsPerPass, long? MedianPassInstructions, long? WorstPassInstructions, int? WorstPass,
        long HeapAfterBootBytesHere, IReadOnlyDictionary<string, long> Window);

    public sealed record DeviceBenchReport(IReadOnlyList<ScenarioCost> Scenarios, ScenarioCost ModelsBaseline, HeapFigures Heap,
        string? InstructionsUnavailable, IReadOnlyDictionary<string, long> PeSizes, long DeploymentBytes);

    /// <summary>The bench found a scenario not in the state it claims to measure, or a run failed.</summary>
    public sealed class DeviceBenchException : Exception
    {
        public DeviceBenchException(string message) : base(message) { }
    }

    /// <summary>
    /// The firmware core's cost on the real nanoFramework interpreter (nanoCLR, POSIX x86-64): the
    /// bench app (firmware/HingeSensor.Nano.Bench + Core + algorithms) compiled and converted with
    /// the device build's helper, run per scenario twice — through its warm-up + 10 + N passes and
    /// through warm-up + 10 + 2N — so that allocations, heap blocks and collections per pass are
    /// the difference divided by N (boot, warm-up and anything that happens once in a run cancel).
    /// Instructions come from the shorter run under callgrind, which dumps its counters at the end
    /// of every pass (zeroed at the pass's start): the mean over the N measured passes, and the
    /// worst of them.
    /// </summary>
    public static class DeviceCostBenchmark
    {
        /// <summary>ESP32 heap block: 12 bytes (32-bit); nanoCLR here: 24.</summary>
        public const int EspBlockBytes = 12;

        public const int HereBlockBytes = 24;

        /// <summary>Only for the GCs-a-minute estimate of a scenario that allocates (none should): the heap's share the tables take, measured by the census run.</summary>
        private const long EspAssemblyTablesGuess = 23 * 1024;

        /// <summary>Deployment partition of nanoFramework's ESP32 4 MB table (nf-interpreter targets/ESP32/_IDF/esp32/partitions_nanoclr_4mb.csv: deploy 0x1D0000).</summary>
        public const long DeploymentPartitionBytes = 0x1D0000;

        public const string MeasuredOn = "nanoCLR (POSIX x86-64 build of nf-interpreter, the device's interpreter and GC) with models of the chips, flash and link";

        /// <summary>
        /// Passes past the warm-up before the short run ends: both runs go beyond the warm-up's
        /// end (where the bench reports and collects), so one-off effects there cancel too.
        /// </summary>
        public const int SettlePasses = 10;

        private const string ZeroMarker = "Library_nf_native_system_math_System_Math::Tanh*";
        private const string DumpMarker = "Library_nf_rt_native_nanoFramework_Runtime_Native_GC::EnableGCMessages*";

        public static DeviceBenchReport Run(NanoToolchain tools, DeviceBenchOptions o)
        {
            if (o.Passes < 1) throw new ArgumentException("--passes must be at least 1");
            foreach (string s in o.Scenarios)
                if (!DeviceBenchOptions.AllScenarios.Contains(s)) throw new ArgumentException($"unknown scenario '{s}' (known: {string.Join(", ", DeviceBenchOptions.AllScenarios)})");
            string? noCallgrind = !o.Callgrind ? "not asked for (--no-callgrind)" : File.Exists("/usr/bin/valgrind") ? null : "valgrind is not installed (/usr/bin/valgrind; Debian package valgrind)";
            string dir = Path.Combine(Path.GetTempPath(), "hinge-bench-device-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string root = Checkout.FindRoot()
                    ?? throw new DeviceBenchException("no checkout found (the bench compiles firmware/ sources)");
                NanoProjectFile app = NanoProjectFile.Load(Path.Combine(root, "firmware", "HingeSensor.Nano", "HingeSensor.Nano.nfproj"));
                o.Progress?.WriteLine("building the bench app (Core + algorithms + models) for nanoFramework...");
                NanoCompilation benchLib = app.Compilation with
                {
                    AssemblyName = "HingeSensor.Nano.Bench",
                    Executable = false,
                    Sources = BenchSources(root),
                };
                NanoBuildResult bench = DeviceAppBuild.Build(tools, benchLib, Path.Combine(dir, "bench"));
                if (!bench.Ok) throw new DeviceBenchException("bench app: " + bench);

                // The libraries the bench loads, as the interpreter's native tables expect them.
                var libraries = ReferencedAssemblies(bench.Assembly).Where(n => n != "mscorlib").ToList();
                var interpreterLibs = new List<string>();
                foreach (string lib in libraries)
                {
                    string pe = Path.Combine(dir, "lib", lib + ".pe");
                    Directory.CreateDirectory(Path.GetDirectoryName(pe)!);
                    ToolResult r = tools.ConvertLibraryForInterpreter(lib, pe);
                    if (!r.Ok) throw new DeviceBenchException($"converting {lib}: {r.Text}");
                    interpreterLibs.Add(pe);
                }

                // Two runs per scenario (and the models alone), both well past the warm-up: N and 2N
                // passes after it. Their difference is N passes of steady state, so whatever happens
                // once in a run (a first event of its kind, the report at the end) cancels out.
                // The shorter run is the one profiled, pass by pass.
                var runs = new List<(string Scenario, int Passes, bool Profile)>();
                foreach (string s in o.Scenarios.Append("models"))
                {
                    runs.Add((s, SettlePasses + o.Passes, noCallgrind == null && s != "models"));
                    runs.Add((s, SettlePasses + 2 * o.Passes, false));
                }
                var entries = new Dictionary<(string, int), string>();
                o.Progress?.WriteLine($"building {runs.Count + 1} run entry points...");
                Parallel.ForEach(runs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, run =>
                {
                    string pe = BuildEntry(tools, benchLib, bench, "Run", run.Scenario, run.Passes, Path.Combine(dir, "runs"));
                    lock (entries) entries[(run.Scenario, run.Passes)] = pe;
                });
                string censusEntry = BuildEntry(tools, benchLib, bench, "Census", DeviceHeap.CensusScenario, SettlePasses, Path.Combine(dir, "runs"));

                var results = new Dictionary<(string, int), RunOutput>();
                foreach (var run in runs)
                {
                    o.Progress?.WriteLine($"running {run.Scenario}, {run.Passes} passes past its warm-up{(run.Profile ? " under callgrind" : "")}...");
                    var pes = new List<string> { tools.MscorlibPe };
                    pes.AddRange(interpreterLibs);
                    pes.Add(bench.Pe);
                    pes.Add(entries[(run.Scenario, run.Passes)]);
                    results[(run.Scenario, run.Passes)] = Execute(tools, pes, run.Profile ? Path.Combine(dir, "cg-" + run.Scenario) : null, run.Scenario);
                }

                var costs = new List<ScenarioCost>();
                foreach (string s in o.Scenarios)
                {
                    ScenarioCost c = Figures(s, o.Passes, results[(s, SettlePasses + o.Passes)], results[(s, SettlePasses + 2 * o.Passes)]);
                    ScenarioCheck.Verify(c, results[(s, SettlePasses + o.Passes)].End);
                    costs.Add(c);
                }
                ScenarioCost models = Figures("models", o.Passes, results[("models", SettlePasses + o.Passes)], results[("models", SettlePasses + 2 * o.Passes)]);

                o.Progress?.WriteLine($"running the heap census after {DeviceHeap.CensusScenario}...");
                var censusPes = new List<string> { tools.MscorlibPe };
                censusPes.AddRange(interpreterLibs);
                censusPes.Add(bench.Pe);
                censusPes.Add(censusEntry);
                RunOutput censusRun = Execute(tools, censusPes, null, "census");
                var (census, types) = DeviceHeap.ParseCensus(censusRun.Text);
                if (!census.TryGetValue("session_esp32_bytes", out long entry)) throw new DeviceBenchException("the heap census found no session to size (the recording did not start)");

                o.Progress?.WriteLine("converting the app and every library it references...");
                var peSizes = new SortedDictionary<string, long>(StringComparer.Ordinal);
                NanoBuildResult appPe = DeviceAppBuild.BuildProject(tools, app.Path, Path.Combine(dir, "app"));
                if (!appPe.Ok) throw new DeviceBenchException("device app: " + appPe);
                peSizes[app.Compilation.AssemblyName] = appPe.PeBytes;
                peSizes["mscorlib"] = new FileInfo(tools.MscorlibPe).Length;
                var libs = app.Compilation.References.Where(r => r != "mscorlib").ToList();
                var libPes = new SortedDictionary<string, string>(StringComparer.Ordinal);
                Parallel.ForEach(libs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, lib =>
                {
                    string pe = Path.Combine(dir, "applib", lib + ".pe");
                    Directory.CreateDirectory(Path.GetDirectoryName(pe)!);
                    ToolResult r = tools.ConvertLibraryForInterpreter(lib, pe);
                    if (!r.Ok) throw new DeviceBenchException($"converting {lib}: {r.Text}");
                    lock (peSizes)
                    {
                        peSizes[lib] = new FileInfo(pe).Length;
                        libPes[lib] = pe;
                    }
                });
                long deployment = peSizes.Values.Sum();
                // Loading the whole app: nanoCLR prints its assemblies' tables, then stops at the
                // natives this build lacks (GPIO, I2C, BLE, ...), which is expected.
                var appLoad = new List<string> { tools.MscorlibPe };
                appLoad.AddRange(libPes.Values);
                appLoad.Add(appPe.Pe);
                long tables = DeviceHeap.AssemblyTables(tools.Interpreter, appLoad, TimeSpan.FromMinutes(2));

                var heap = new HeapFigures(costs.Max(c => c.HeapAfterBootBytesHere), census["here_bytes"], census["esp32_bytes"],
                    (int)census["sessions"], (int)census["max_sessions"], entry, tables, types);
                if (!heap.CensusAgrees)
                    throw new DeviceBenchException(string.Format(CultureInfo.InvariantCulture,
                        "the heap census ({0} B in this machine's layout) disagrees with the interpreter ({1} B) by {2:P1}: its ESP32 figure cannot be believed",
                        heap.CensusHere, heap.MeasuredHere, heap.CensusError));
                return new DeviceBenchReport(costs, models, heap, noCallgrind, peSizes, deployment);
            }
            finally
            {
                // HINGESENSOR_BENCH_KEEP=1 keeps the build and run files for a look (printed on stderr).
                if (Environment.GetEnvironmentVariable("HINGESENSOR_BENCH_KEEP") == "1") Console.Error.WriteLine("kept " + dir);
                else try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }

        private static IReadOnlyList<string> BenchSources(string root)
        {
            var sources = new List<string>();
            foreach (string pattern in new[] { "firmware/HingeSensor.Nano.Bench/**/*.cs", "firmware/HingeSensor.Nano/Core/**/*.cs", "shared/HingeSensor.Algorithms/**/*.cs", "shared/HingeSensor.Protocol/**/*.cs" })
                sources.AddRange(NanoProjectFile.Glob(root, pattern).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")));
            return sources;
        }

        private static IEnumerable<string> ReferencedAssemblies(string assembly)
        {
            using var fs = File.OpenRead(assembly);
            using var pe = new PEReader(fs);
            MetadataReader md = pe.GetMetadataReader();
            foreach (AssemblyReferenceHandle h in md.AssemblyReferences) yield return md.GetString(md.GetAssemblyReference(h).Name);
        }

        // run.sh takes no program arguments: each run gets a two-line entry assembly naming its scenario and passes.
        private static string BuildEntry(NanoToolchain tools, NanoCompilation benchLib, NanoBuildResult bench, string method, string scenario, int passes, string dir)
        {
            string name = $"Bench{method}_{scenario}_{passes}";
            string src = Path.Combine(dir, name + ".cs");
            Directory.CreateDirectory(dir);
            File.WriteAllText(src, $"public static class {name} {{ public static void Main() {{ HingeSensor.Nano.Bench.BenchMain.{method}(\"{scenario}\", {passes}); }} }}\n");
            NanoCompilation entry = benchLib with { AssemblyName = name, Executable = true, Sources = new[] { src }, References = new[] { "mscorlib", bench.Assembly } };
            NanoBuildResult r = DeviceAppBuild.Build(tools, entry, dir, bench.Assembly);
            if (!r.Ok) throw new DeviceBenchException($"entry for {scenario}: {r}");
            return r.Pe;
        }

        internal sealed record RunOutput(long Allocs, long Blocks, long Gcs, IReadOnlyDictionary<string, long> Warmup, IReadOnlyDictionary<string, long> End,
            int WarmupPasses, IReadOnlyList<long>? PassInstructions, string Text);

        private static RunOutput Execute(NanoToolchain tools, IReadOnlyList<string> pes, string? callgrindDir, string scenario)
        {
            ToolResult r;
            if (callgrindDir == null) r = ToolRun.Run(tools.Interpreter, pes);
            else
            {
                Directory.CreateDirectory(callgrindDir);
                var args = new List<string> { "--tool=callgrind", "--callgrind-out-file=" + Path.Combine(callgrindDir, "cg.out"),
                    "--zero-before=" + ZeroMarker, "--dump-after=" + DumpMarker, tools.Interpreter };
                args.AddRange(pes);
                r = ToolRun.Run("/usr/bin/valgrind", args, timeout: TimeSpan.FromMinutes(30));
            }
            string text = r.Text;
            if (!r.Ok) throw new DeviceBenchException($"{scenario}: the interpreter exited with {r.ExitCode}:\n{Tail(text)}");
            var warm = new Dictionary<string, long>();
            var end = new Dictionary<string, long>();
            int warmupPasses = -1;
            int emptyPairs = -1;
            string? error = null;
            foreach (string line in r.Output.Split('\n'))
            {
                string[] p = line.Trim().Split(' ');
                if (p.Length < 3 || p[0] != "BENCH") continue;
                if (p[1] == "error") error = line.Trim();
                else if (p.Length == 4 && long.TryParse(p[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
                {
                    if (p[1] == "warmup") warm[p[2]] = v;
                    else if (p[1] == "end") end[p[2]] = v;
                    else if (p[1] == "run" && p[2] == "warmup") warmupPasses = (int)v;
                    else if (p[1] == "run" && p[2] == "empty_pairs") emptyPairs = (int)v;
                }
            }
            if (error != null) throw new DeviceBenchException($"{scenario}: {error}");
            if (end.Count == 0 || warm.Count == 0) throw new DeviceBenchException($"{scenario}: the bench printed no figures (it stopped early):\n{Tail(text)}");
            System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(r.Error, @"DEVCHECK allocs=(\d+) blocks=(\d+) blockBytes=(\d+) gcs=(\d+)");
            if (!m.Success) throw new DeviceBenchException($"{scenario}: no DEVCHECK line from the interpreter:\n{Tail(text)}");
            if (m.Groups[3].Value != HereBlockBytes.ToString(CultureInfo.InvariantCulture)) throw new DeviceBenchException($"{scenario}: heap blocks of {m.Groups[3].Value} bytes, expected {HereBlockBytes}");
            IReadOnlyList<long>? passes = callgrindDir == null ? null : PassInstructions(callgrindDir, scenario, emptyPairs);
            return new RunOutput(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture), warm, end, warmupPasses, passes, text);
        }

        // Dumps 1..emptyPairs are empty marker pairs: the markers' own cost is the smallest of them
        // (nanoCLR's wall-clock scheduler and timers land in some pairs, more often on a busy
        // machine, so one pair alone could charge up to 300k instructions of them to the markers).
        // Dump emptyPairs + k is loop pass k − 1.
        private static IReadOnlyList<long> PassInstructions(string dir, string scenario, int emptyPairs)
        {
            if (emptyPairs < 1) throw new DeviceBenchException($"{scenario}: the bench did not say how many empty marker pairs it ran");
            var parts = new SortedDictionary<int, long>();
            foreach (string f in Directory.GetFiles(dir, "cg.out.*"))
            {
                int part = -1;
                long ir = -1;
                string? trigger = null;
                foreach (string line in File.ReadLines(f).Take(40))
                {
                    if (line.StartsWith("part: ", StringComparison.Ordinal)) part = int.Parse(line.Substring(6), CultureInfo.InvariantCulture);
                    else if (line.StartsWith("desc: Trigger: ", StringComparison.Ordinal)) trigger = line;
                    else if (line.StartsWith("summary: ", StringComparison.Ordinal) || line.StartsWith("totals: ", StringComparison.Ordinal)) ir = long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
                }
                if (trigger != null && trigger.Contains("--dump-after", StringComparison.Ordinal) && part > 0 && ir >= 0) parts[part] = ir;
            }
            for (int k = 1; k <= emptyPairs; k++)
                if (!parts.ContainsKey(k)) throw new DeviceBenchException($"{scenario}: callgrind wrote no dump for empty marker pair {k} in {dir}");
            long overhead = Enumerable.Range(1, emptyPairs).Min(k => parts[k]);
            var list = new List<long>();
            for (int k = emptyPairs + 1; parts.TryGetValue(k, out long ir); k++) list.Add(ir - overhead);
            if (list.Count + emptyPairs != parts.Count) throw new DeviceBenchException($"{scenario}: callgrind dumps are not one per pass ({parts.Count} dumps)");
            return list;
        }

        // 'run' is warm-up + settle + passes (profiled when instructions are asked for), 'twice'
        // the same with the passes twice over.
        private static ScenarioCost Figures(string name, int passes, RunOutput run, RunOutput twice)
        {
            int warmup = run.WarmupPasses;
            if (twice.WarmupPasses != warmup) throw new DeviceBenchException($"{name}: the two runs disagree on the warm-up");
            double allocs = (double)(twice.Allocs - run.Allocs) / passes;
            double bytes = (double)(twice.Blocks - run.Blocks) * EspBlockBytes / passes;
            double minutes = passes * 0.01 / 60;
            double gcs = (twice.Gcs - run.Gcs) / minutes;
            double espGcs = bytes * passes / minutes / (HeapFigures.EspManagedHeapBytes - EspAssemblyTablesGuess);
            double? mean = null;
            long? median = null;
            long? worst = null;
            int? worstPass = null;
            if (run.PassInstructions != null)
            {
                int first = warmup + SettlePasses;
                if (run.PassInstructions.Count != first + passes) throw new DeviceBenchException($"{name}: {run.PassInstructions.Count} passes profiled, expected {first + passes} (is a marker native called elsewhere?)");
                var measured = run.PassInstructions.Skip(first).ToList();
                mean = measured.Average();
                // The median is the pass the wall clock did not touch: the scheduler's and timers'
                // work lands in a few passes, more of them when the machine running callgrind is busy.
                median = measured.OrderBy(x => x).ElementAt(measured.Count / 2);
                worst = measured.Max();
                worstPass = first + measured.IndexOf(worst.Value);
            }
            var window = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var kv in run.End) if (run.Warmup.TryGetValue(kv.Key, out long w)) window[kv.Key] = kv.Value - w;
            long heap = run.Warmup["heap_free_before_core"] - run.Warmup["heap_free"];
            return new ScenarioCost(name, passes, warmup, allocs, bytes, gcs, espGcs, mean, median, worst, worstPass, heap, window);
        }

        private static string Tail(string text) => text.Length > 3000 ? "..." + text.Substring(text.Length - 3000) : text;
    }
}
