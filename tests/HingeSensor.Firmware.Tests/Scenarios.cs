using System.Collections.Generic;
using HingeSensor.Simulation.Scenarios;

namespace HingeSensor.Firmware.Tests
{
    public static class Scenarios
    {
        /// <summary>Calibration, a set with each fault, a little walking.</summary>
        public static Scenario Workout(int reps = 6, string mounting = "strap") => new()
        {
            Name = "firmware-workout",
            Sensors = new SensorSpec { Mounting = mounting },
            Sequence = new List<SequenceStep>
            {
                new() { Do = "calibrate_neutral", DurationS = 4 },
                new() { Do = "calibrate_hinge" },
                new() { Do = "stand", DurationS = 2 },
                new() { Do = "set", Reps = reps, Plan = new() { "none", "lumbar_rounding", "chin_drop", "none", "head_up", "shoulders_collapse", "none", "lumbar_rounding" } },
                new() { Do = "walk", DurationS = 10 },
            },
        };

        /// <summary>Standing still for a while (sampling and storage tests that need no movement).</summary>
        public static Scenario Still(double seconds) => new()
        {
            Name = "still",
            Sequence = new List<SequenceStep> { new() { Do = "stand", DurationS = seconds } },
        };
    }
}
