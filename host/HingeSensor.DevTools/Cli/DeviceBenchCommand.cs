using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using HingeSensor.DevTools.Benchmarks;
using HingeSensor.DevTools.DeviceBuild;

namespace HingeSensor.DevTools.Cli
{
    /// <summary>`hinge-dev bench device`: the firmware core's cost per 10 ms loop pass on the real nanoFramework interpreter.</summary>
    internal static class DeviceBenchCommand
    {
        public static Command Create()
        {
            var json = new Option<bool>("--json") { Description = "Print exactly one JSON object." };
            var passes = new Option<int>("--passes") { Description = "Measured passes per scenario after its warm-up (10 ms each; a rep cycle is 500).", DefaultValueFactory = _ => 1000 };
            var scenario = new Option<string[]>("--scenario") { Description = "Only these scenarios: " + string.Join(", ", DeviceBenchOptions.AllScenarios) + "." , AllowMultipleArgumentsPerToken = true };
            var noCallgrind = new Option<bool>("--no-callgrind") { Description = "Skip the instruction counts (valgrind): allocations, heap and GCs only, in seconds." };
            var cmd = new Command("device", "The firmware core on nanoCLR (the device's interpreter and GC, built for this machine): allocations, device heap bytes, GCs and interpreter instructions per 10 ms loop pass in idle, live, live_recording, alert and download; heap after boot; .pe sizes.")
            { json, passes, scenario, noCallgrind };
            cmd.SetAction(parse =>
            {
                TextWriter o = parse.InvocationConfiguration.Output;
                TextWriter err = parse.InvocationConfiguration.Error;
                bool asJson = parse.GetValue(json);
                NanoToolchain? tools = NanoToolchain.Find(out string why);
                if (tools == null)
                {
                    err.WriteLine("hinge-dev bench device: " + why);
                    return 2;
                }
                string[] chosen = parse.GetValue(scenario) is { Length: > 0 } s ? s : DeviceBenchOptions.AllScenarios;
                var options = new DeviceBenchOptions
                {
                    Passes = parse.GetValue(passes),
                    Scenarios = chosen,
                    Callgrind = !parse.GetValue(noCallgrind),
                    Progress = asJson ? null : err,
                };
                DeviceBenchReport report;
                try
                {
                    report = DeviceCostBenchmark.Run(tools, options);
                }
                catch (Exception e) when (e is DeviceBenchException or ArgumentException || e is AggregateException { InnerException: DeviceBenchException })
                {
                    err.WriteLine("hinge-dev bench device: " + (e is AggregateException a ? a.InnerException!.Message : e.Message));
                    return 1;
                }
                if (asJson) o.WriteLine(ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
                else PrintTable(o, report);
                return 0;
            });
            return cmd;
        }

        public static JsonObject ToJson(DeviceBenchReport r)
        {
            var scenarios = new JsonArray();
            foreach (ScenarioCost c in r.Scenarios) scenarios.Add(Scenario(c));
            var pe = new JsonObject();
            foreach (var kv in r.PeSizes) pe[kv.Key] = kv.Value;
            return new JsonObject
            {
                ["measured_on"] = DeviceCostBenchmark.MeasuredOn,
                ["scenarios"] = scenarios,
                ["models_baseline"] = Scenario(r.ModelsBaseline),
                ["heap_after_boot_bytes"] = r.Heap.Esp32FullTable,
                ["heap_after_boot"] = Heap(r.Heap),
                ["heap_free_margin"] = r.Heap.FreeMargin,
                ["heap_free_margin_of_app_share"] = Math.Round(r.Heap.FreeMarginOfAppShare, 4),
                ["heap_free_margin_of_heap"] = Math.Round(r.Heap.FreeMarginOfHeap, 4),
                ["heap_free_margin_definition"] = $"{HeapFigures.EspManagedHeapBytes} B (pessimistic ESP32 managed heap with BLE running, no PSRAM) - assembly_tables_bytes (the loaded assemblies' tables, measured) - heap_after_boot_bytes (the core's objects on the ESP32 with a full session table); of_app_share divides by the first two, of_heap by the first",
                ["instructions_unavailable"] = r.InstructionsUnavailable,
                ["pe_bytes"] = pe,
                ["deployment_bytes"] = r.DeploymentBytes,
                ["deployment_partition_bytes"] = DeviceCostBenchmark.DeploymentPartitionBytes,
            };
        }

        private static JsonObject Heap(HeapFigures h)
        {
            var types = new JsonArray();
            foreach (HeapType t in h.Types.Take(12)) types.Add(new JsonObject { ["type"] = t.Name, ["objects"] = t.Objects, ["esp32_bytes"] = t.Esp32Bytes });
            return new JsonObject
            {
                ["esp32_bytes"] = h.Esp32,
                ["sessions"] = h.Sessions,
                ["max_sessions"] = h.MaxSessions,
                ["session_entry_esp32_bytes"] = h.SessionEntryEsp32,
                ["esp32_full_table_bytes"] = h.Esp32FullTable,
                ["nanoclr_measured_bytes"] = h.MeasuredHere,
                ["census_nanoclr_layout_bytes"] = h.CensusHere,
                ["census_error"] = Math.Round(h.CensusError, 4),
                ["assembly_tables_bytes"] = h.AssemblyTables,
                ["esp32_managed_heap_bytes"] = HeapFigures.EspManagedHeapBytes,
                ["largest_types"] = types,
            };
        }

        private static JsonObject Scenario(ScenarioCost c)
        {
            var window = new JsonObject();
            foreach (var kv in c.Window) window[kv.Key] = kv.Value;
            return new JsonObject
            {
                ["name"] = c.Name,
                ["passes"] = c.Passes,
                ["warmup_passes"] = c.Warmup,
                ["allocations_per_pass"] = Math.Round(c.AllocationsPerPass, 4),
                ["device_bytes_per_pass"] = Math.Round(c.DeviceBytesPerPass, 2),
                ["gcs_per_minute"] = Math.Round(c.GcsPerMinute, 2),
                ["esp32_gcs_per_minute_estimate"] = Math.Round(c.EspGcsPerMinute, 1),
                ["instructions_per_pass"] = c.InstructionsPerPass is double i ? Math.Round(i) : null,
                ["median_pass_instructions"] = c.MedianPassInstructions,
                ["worst_pass_instructions"] = c.WorstPassInstructions,
                ["worst_pass"] = c.WorstPass,
                ["counters_over_measured_passes"] = window,
            };
        }

        private static string ShortName(string type) => type.Substring(type.LastIndexOf('.') + 1);

        private static void PrintTable(TextWriter o, DeviceBenchReport r)
        {
            o.WriteLine("Firmware core per 10 ms loop pass on " + DeviceCostBenchmark.MeasuredOn + ":");
            o.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-15} {1,7} {2,10} {3,12} {4,10} {5,14} {6,14} {7,13} {8,13}",
                "scenario", "passes", "allocs", "device B", "GCs/min", "ESP32 GCs/min", "instructions", "median pass", "worst pass"));
            foreach (ScenarioCost c in r.Scenarios.Append(r.ModelsBaseline))
                o.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-15} {1,7} {2,10:0.0} {3,12:0} {4,10:0.0} {5,14:0} {6,14} {7,13} {8,13}",
                    c.Name == "models" ? "(models only)" : c.Name, c.Passes, c.AllocationsPerPass, c.DeviceBytesPerPass, c.GcsPerMinute, c.EspGcsPerMinute,
                    c.InstructionsPerPass is double i ? i.ToString("0", CultureInfo.InvariantCulture) : "-",
                    c.MedianPassInstructions is long m ? m.ToString(CultureInfo.InvariantCulture) : "-",
                    c.WorstPassInstructions is long w ? w.ToString(CultureInfo.InvariantCulture) : "-"));
            if (r.InstructionsUnavailable != null) o.WriteLine("instructions: not measured: " + r.InstructionsUnavailable);
            o.WriteLine("device B = heap blocks allocated × 12 (ESP32 block); GCs/min as measured here (nanoCLR's heap here is ~10 MB); ESP32 GCs/min = device bytes per minute / (80 KB heap − 23 KB tables).");
            HeapFigures h = r.Heap;
            o.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "managed heap the core keeps after boot and warm-up: {0} B here (nanoCLR, 24-byte blocks; the census's sum in this layout: {1} B, {2:+0.0%;-0.0%}) → ESP32 {3} B with {4} session(s), {5} B with a full table ({6} × {7} B)",
                h.MeasuredHere, h.CensusHere, h.CensusError, h.Esp32, h.Sessions, h.Esp32FullTable, h.MaxSessions, h.SessionEntryEsp32));
            o.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "free on a pessimistic ESP32: {0} B heap with BLE − {1} B assembly tables (measured loading the whole app) − {2} B = {3} B: {4:P1} of the app's share, {5:P1} of the heap",
                HeapFigures.EspManagedHeapBytes, h.AssemblyTables, h.Esp32FullTable, h.FreeMargin, h.FreeMarginOfAppShare, h.FreeMarginOfHeap));
            o.WriteLine("largest (ESP32 bytes): " + string.Join(", ", h.Types.Take(8).Select(t => $"{ShortName(t.Name)} ×{t.Objects} {t.Esp32Bytes}")));
            if (r.PeSizes.Count > 0)
            {
                o.WriteLine(".pe sizes: " + string.Join(", ", r.PeSizes.Select(kv => $"{kv.Key} {kv.Value}")));
                o.WriteLine(string.Format(CultureInfo.InvariantCulture, "deployment: {0} B of the ESP32 4 MB table's {1} B deployment partition ({2:P1})",
                    r.DeploymentBytes, DeviceCostBenchmark.DeploymentPartitionBytes, (double)r.DeploymentBytes / DeviceCostBenchmark.DeploymentPartitionBytes));
            }
        }
    }
}
