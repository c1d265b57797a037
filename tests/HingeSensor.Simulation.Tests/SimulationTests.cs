using System;
using System.IO;
using System.Linq;
using System.Reflection;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.Simulation.Truth;
using Xunit;

namespace HingeSensor.Simulation.Tests
{
    public class SimulationTests
    {
        private static Scenario Small(string mounting = "strap") => new()
        {
            Name = "small",
            Sensors = new SensorSpec { Mounting = mounting },
            Sequence = new()
            {
                new SequenceStep { Do = "calibrate_neutral", DurationS = 3 },
                new SequenceStep { Do = "calibrate_hinge" },
                new SequenceStep { Do = "set", Reps = 5, Plan = new() { "none", "lumbar_rounding", "chin_drop", "head_up", "partial" } },
                new SequenceStep { Do = "walk", DurationS = 10 },
            },
        };

        [Fact]
        public void The_same_scenario_and_seed_give_the_same_recording()
        {
            var a = new WearerSimulation(Small(), 3).Rows().Select(r => r.Imu.Accel[1].X + r.Imu.Gyro[2].Z).ToArray();
            var b = new WearerSimulation(Small(), 3).Rows().Select(r => r.Imu.Accel[1].X + r.Imu.Gyro[2].Z).ToArray();
            var c = new WearerSimulation(Small(), 4).Rows().Select(r => r.Imu.Accel[1].X + r.Imu.Gyro[2].Z).ToArray();
            Assert.Equal(a, b);
            Assert.NotEqual(a.Take(100), c.Take(100));
        }

        [Fact]
        public void Labels_follow_the_script_and_the_fault_definitions()
        {
            var sim = new WearerSimulation(Small(), 8);
            var rows = sim.Rows().ToList();
            Labels labels = sim.Labels;
            Assert.Equal(5, labels.Reps.Count);
            Assert.Equal(new[] { true, true, true, true, false }, labels.Reps.Select(r => r.Counted));
            Assert.Equal(new[] { "back_rounding", "chin_drop", "head_up" }, labels.Faults.Select(f => f.Kind));
            Assert.Equal(new[] { 1, 2, 3 }, labels.Faults.Select(f => f.Rep));
            Assert.Empty(labels.Reps[0].Faults);

            // The onset is where the true metric first exceeds the threshold with the torso past the gate.
            LabelFault round = labels.Faults[0];
            var inRep = rows.Where(r => r.Imu.TimeS >= labels.Reps[1].StartS && r.Imu.TimeS <= labels.Reps[1].EndS).ToList();
            var first = inRep.First(r => r.Truth.TrunkFlexion > labels.Definitions.BackRoundingDeg && r.Truth.Torso >= labels.Definitions.GateOpenTorsoDeg);
            Assert.Equal(first.Imu.TimeS, round.OnsetS, 6);
            Assert.Equal(inRep.Max(r => r.Truth.TrunkFlexion), round.PeakDeg, 6);
            Assert.True(round.EndS > round.OnsetS + labels.Definitions.PersistenceS);
        }

        [Fact]
        public void Rows_arrive_at_the_configured_rate_for_the_whole_duration()
        {
            var sim = new WearerSimulation(Small(), 2);
            var times = sim.Rows().Select(r => r.Imu.TimeS).ToArray();
            Assert.Equal(0, times[0]);
            Assert.Equal(Math.Floor(sim.DurationS * 100) / 100, times[^1], 6);
            Assert.All(times.Zip(times.Skip(1)), p => Assert.Equal(0.01, p.Second - p.First, 9));
        }

        [Fact]
        public void The_simulator_does_not_reference_the_detector_it_judges()
        {
            AssemblyName[] refs = typeof(WearerSimulation).Assembly.GetReferencedAssemblies();
            Assert.DoesNotContain(refs, r => r.Name!.StartsWith("HingeSensor.Algorithms", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("{\"name\":\"x\",\"sequence\":[{\"do\":\"jump\"}]}", "sequence[0] (jump): unknown step")]
        [InlineData("{\"name\":\"x\",\"sensors\":{\"mounting\":\"glued\"},\"sequence\":[{\"do\":\"stand\"}]}", "mounting 'glued'")]
        [InlineData("{\"name\":\"x\",\"rate_hz\":97,\"sequence\":[{\"do\":\"stand\"}]}", "rate_hz 97")]
        [InlineData("{\"name\":\"x\",\"sequence\":[{\"do\":\"set\",\"reps\":3,\"faults\":{\"wobble\":0.2}}]}", "unknown fault 'wobble'")]
        [InlineData("{\"name\":\"x\",\"sequence\":[{\"do\":\"set\",\"reps\":3,\"faults\":{\"chin_drop\":0.8,\"head_up\":0.5}}]}", "sum to at most 1")]
        [InlineData("{\"name\":\"x\",\"person\":{\"height_cm\":300},\"sequence\":[{\"do\":\"stand\"}]}", "height_cm 300")]
        [InlineData("{\"name\":\"x\",\"sequense\":[]}", "sequense")]
        [InlineData("{\"name\":\"x\",\"sequence\":[{\"do\":\"stand\"}", "line 1")]
        public void Malformed_scenarios_are_rejected_with_the_reason(string json, string expected)
        {
            string path = Path.Combine(Path.GetTempPath(), "hinge-scenario-" + Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllText(path, json);
            try
            {
                var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path));
                Assert.Contains(expected, e.Message);
                Assert.Contains(path, e.Message);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void The_default_suite_meets_its_brief()
        {
            // ≥ 300 reps, ≥ 30 % with faults of every kind present, ≥ 6 people 150-195 cm with
            // different flexibility, random mountings, ≥ 3 seeds, ≥ 10 min of non-exercise activity.
            var files = Directory.GetFiles(ScenarioLoader.DefaultSuiteDirectory, "*.json");
            var scenarios = files.Select(f => ScenarioLoader.Load(f).Scenario).ToList();
            int reps = 0, faulty = 0;
            double other = 0;
            var kinds = new System.Collections.Generic.HashSet<Choreography.FaultVariant>();
            foreach (Scenario sc in scenarios)
                foreach (int seed in sc.Seeds)
                {
                    // The plan is drawn before any physics runs: enough to count what the suite asks for.
                    var plan = new WearerSimulation(sc, seed).Plan;
                    var repPlans = plan.Where(p => p.Kind == Choreography.ActivityKind.Rep).ToList();
                    reps += repPlans.Count;
                    faulty += repPlans.Count(p => p.Fault is not (Choreography.FaultVariant.None or Choreography.FaultVariant.Partial));
                    foreach (var p in repPlans) kinds.Add(p.Fault);
                    other += plan.Where(p => p.IsOther).Sum(p => p.EndS - p.StartS);
                }
            Assert.True(reps >= 300, $"{reps} reps");
            Assert.True(faulty >= 0.3 * reps, $"{faulty} of {reps} reps have faults");
            Assert.Superset(new System.Collections.Generic.HashSet<Choreography.FaultVariant>
            {
                Choreography.FaultVariant.LumbarRounding, Choreography.FaultVariant.ShouldersCollapse, Choreography.FaultVariant.ChinDrop,
                Choreography.FaultVariant.HeadUp, Choreography.FaultVariant.Partial,
            }, kinds);
            Assert.True(scenarios.Count >= 6);
            Assert.InRange(scenarios.Min(s => s.Person.HeightCm), 150, 155);
            Assert.InRange(scenarios.Max(s => s.Person.HeightCm), 190, 195);
            Assert.True(scenarios.Select(s => s.Person.Flexibility).Distinct().Count() >= 4);
            Assert.Contains(scenarios, s => s.Sensors.Mounting == "random");
            Assert.All(scenarios, s => Assert.True(s.Seeds.Count >= 3));
            Assert.True(other >= 600, $"{other:0} s of non-exercise activity");
        }
    }
}
