using System.IO;
using System.Text.Json;
using HingeSensor.DevTools.Cli;
using HingeSensor.Simulation.Scenarios;
using Xunit;

namespace HingeSensor.Host.Tests
{
    /// <summary>The detection targets, asserted on the small CI suite through `hinge-dev eval detection --json`.</summary>
    public class DetectionQualityTests
    {
        [Fact]
        public void The_ci_suite_meets_the_detection_targets()
        {
            string suite = Path.Combine(ScenarioLoader.BuiltInDirectory, "ci");
            var o = new StringWriter();
            var e = new StringWriter();
            int code = DevCli.Run(new[] { "eval", "detection", "--suite", suite, "--json" }, o, e);
            string stdout = o.ToString(), stderr = e.ToString();
            Assert.True(code == 0, stderr);
            using JsonDocument doc = JsonDocument.Parse(stdout);
            JsonElement r = doc.RootElement;
            Assert.True(r.GetProperty("rep_count_error").GetDouble() <= 0.01, stdout);
            foreach (string kind in new[] { "back_rounding", "chin_drop", "head_up" })
                Assert.True(r.GetProperty("sensitivity").GetProperty(kind).GetDouble() >= 0.95, $"{kind}: {stdout}");
            Assert.True(r.GetProperty("false_alerts_per_100_clean_reps").GetDouble() <= 2, stdout);
            Assert.True(r.GetProperty("false_alerts_per_hour_other").GetDouble() <= 1, stdout);
            double persistenceMs = 200;
            Assert.True(r.GetProperty("latency_ms_median").GetDouble() <= persistenceMs + 50, stdout);
            Assert.True(r.GetProperty("latency_ms_p95").GetDouble() <= persistenceMs + 150, stdout);
            Assert.True(r.GetProperty("true_reps").GetInt32() >= 30, "the CI suite must have enough reps to mean something");
            // The angles against the simulator's truth. The 2° is met on the default suite
            // (1.6°/1.6°); the CI suite's two recordings carry its hardest chips and straps (1.8°/2.3°;
            // 3.1°/3.8° before the accelerometer offsets and the first rest's bias), so a regression
            // of that size fails here.
            foreach (string angle in new[] { "trunk_flexion", "head_flexion" })
                Assert.True(r.GetProperty("angle_error_deg").GetProperty(angle).GetProperty("p95").GetDouble() <= 2.6, $"{angle}: {stdout}");
        }
    }
}
