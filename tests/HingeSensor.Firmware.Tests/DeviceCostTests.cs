using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using HingeSensor.DevTools.Benchmarks;
using HingeSensor.DevTools.Cli;
using HingeSensor.DevTools.DeviceBuild;
using Xunit;
using HingeSensor.TestSupport;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>
    /// One short `hinge bench device` run (no callgrind, one rep cycle per scenario) on the real
    /// nanoFramework interpreter, shared by the tests below.
    /// </summary>
    public sealed class DeviceCostRun
    {
        public DeviceCostRun()
        {
            Tools = NanoTools.Find(out string why);
            WhyNot = why;
            if (Tools == null) return;
            try
            {
                Report = DeviceCostBenchmark.Run(Tools, new DeviceBenchOptions { Passes = 500, Callgrind = false });
            }
            catch (Exception e) when (e is DeviceBenchException || e is AggregateException)
            {
                Failure = e.ToString();
            }
        }

        public NanoToolchain? Tools { get; }
        public string WhyNot { get; }
        public DeviceBenchReport? Report { get; }
        public string? Failure { get; }

        public DeviceBenchReport Require()
        {
            NanoTools.Require();
            Assert.True(Failure == null, "the device bench failed: " + Failure);
            return Report!;
        }
    }

    /// <summary>
    /// The firmware core's loop must not allocate on the device: every allocation there is a heap
    /// object in nanoCLR, and at ~40 KB per 10 ms pass the ESP32's ~60 KB of free heap would be
    /// collected many times a second. Measured per pass in every scenario as the difference of
    /// two runs (warm-up + 10 + 500 passes, and 500 passes more).
    /// </summary>
    [StartsEarly(0)]
    public sealed class DeviceCostTests : IClassFixture<DeviceCostRun>
    {
        private readonly DeviceCostRun _run;

        public DeviceCostTests(DeviceCostRun run) { _run = run; }

        [SkippableFact]
        public void EveryScenarioAllocatesNothingPerLoopPass()
        {
            DeviceBenchReport r = _run.Require();
            Assert.Equal(DeviceBenchOptions.AllScenarios, r.Scenarios.Select(s => s.Name));
            string table = string.Join("\n", r.Scenarios.Select(s => string.Format(CultureInfo.InvariantCulture,
                "  {0,-15} {1,8:0.0} allocations, {2,8:0} device bytes, {3,6:0.0} GCs/min here, ~{4:0} GCs/min on an ESP32 per pass",
                s.Name, s.AllocationsPerPass, s.DeviceBytesPerPass, s.GcsPerMinute, s.EspGcsPerMinute)));
            Assert.True(r.Scenarios.All(s => s.AllocationsPerPass == 0),
                "the firmware core allocates in its 10 ms loop on nanoCLR (steady state, per pass):\n" + table);
        }

        [SkippableFact]
        public void TheBenchsOwnModelsAllocateNothing()
        {
            // The figures above are the core's only if the chips, flash, link and wearer models add nothing.
            DeviceBenchReport r = _run.Require();
            Assert.Equal(0, r.ModelsBaseline.AllocationsPerPass);
            Assert.Equal(0, r.ModelsBaseline.DeviceBytesPerPass);
        }

        [SkippableFact]
        public void TheJsonCarriesEveryScenarioAndTheHeap()
        {
            DeviceBenchReport r = _run.Require();
            JsonObject json = JsonNode.Parse(DeviceBenchCommand.ToJson(r).ToJsonString())!.AsObject();
            JsonArray scenarios = json["scenarios"]!.AsArray();
            Assert.Equal(5, scenarios.Count);
            foreach (JsonNode? s in scenarios)
                foreach (string field in new[] { "name", "passes", "allocations_per_pass", "device_bytes_per_pass", "gcs_per_minute", "instructions_per_pass", "worst_pass_instructions" })
                    Assert.True(s!.AsObject().ContainsKey(field), field);
            Assert.Null(scenarios[0]!["instructions_per_pass"]);
            Assert.Equal("not asked for (--no-callgrind)", (string?)json["instructions_unavailable"]);
            Assert.True((long)json["heap_after_boot_bytes"]! > 0);
            long tables = (long)json["heap_after_boot"]!["assembly_tables_bytes"]!;
            Assert.Equal(80 * 1024 - tables - (long)json["heap_after_boot_bytes"]!, (long)json["heap_free_margin"]!);
        }

        [SkippableFact]
        public void TheHeapCensusAgreesWithTheInterpreter()
        {
            // The ESP32 figure is the census's; the census's sum in this machine's layout must be
            // what the interpreter itself says the core holds.
            HeapFigures h = _run.Require().Heap;
            Assert.True(h.CensusAgrees, $"census {h.CensusHere} B vs interpreter {h.MeasuredHere} B ({h.CensusError:P1})");
            Assert.True(h.Sessions >= 1 && h.SessionEntryEsp32 > 0, "the census run records a session and sizes its entry");
            Assert.True(h.AssemblyTables > 10_000, $"assembly tables {h.AssemblyTables} B");
        }

        [SkippableFact]
        public void TheHeapLeavesThirtyPercentFreeWithAFullSessionTable()
        {
            HeapFigures h = _run.Require().Heap;
            string largest = string.Join(", ", h.Types.Take(10).Select(t => $"{t.Name} ×{t.Objects} {t.Esp32Bytes} B"));
            Assert.True(h.FreeMarginOfAppShare >= 0.30, string.Format(CultureInfo.InvariantCulture,
                "ESP32 heap with a full session table {0} B of the app's {1} B leaves {2:P1} free (need 30 %); largest: {3}",
                h.Esp32FullTable, h.AppShare, h.FreeMarginOfAppShare, largest));
        }

        [SkippableFact]
        public void CallgrindCountsInstructionsPassByPass()
        {
            NanoToolchain tools = NanoTools.Require();
            if (!File.Exists("/usr/bin/valgrind"))
            {
                if (NanoToolchain.InCi) Assert.Fail("HINGESENSOR_CI=1 but /usr/bin/valgrind is not installed");
                Skip.If(true, "/usr/bin/valgrind is not installed (Debian package valgrind)");
            }
            DeviceBenchReport r = DeviceCostBenchmark.Run(tools, new DeviceBenchOptions { Passes = 20, Scenarios = new[] { "idle" } });
            ScenarioCost idle = r.Scenarios.Single();
            Assert.Null(r.InstructionsUnavailable);
            Assert.NotNull(idle.InstructionsPerPass);
            // Three sensors' FIFO drains, fusion and the decision run every pass: far more than the markers' own cost.
            Assert.True(idle.InstructionsPerPass > 100000, $"{idle.InstructionsPerPass} instructions per pass");
            Assert.True(idle.WorstPassInstructions >= idle.InstructionsPerPass);
            Assert.InRange(idle.MedianPassInstructions!.Value, 100000, idle.WorstPassInstructions!.Value);
            Assert.InRange(idle.WorstPass!.Value, idle.Warmup + DeviceCostBenchmark.SettlePasses, idle.Warmup + DeviceCostBenchmark.SettlePasses + idle.Passes - 1);
        }
    }
}
