using System;
using System.Linq;
using HingeSensor.Algorithms.Activity;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Simulation.Choreography;
using HingeSensor.Simulation.Scenarios;
using Xunit;
using SimPattern = HingeSensor.Simulation.Choreography.RepPattern;
using SimTruth = HingeSensor.Simulation.Truth.LabelBuilder;

namespace HingeSensor.Host.Tests.Evaluation
{
    /// <summary>
    /// The simulator repeats the product's definitions and names as numbers and strings (it must
    /// not reference the algorithms it judges): here, where both are visible, they must agree.
    /// </summary>
    public class TruthDefinitionsTests
    {
        [Fact]
        public void The_labels_default_definitions_are_the_detectors_default_settings()
        {
            var d = new FaultDefinitions();
            var a = new AlignmentSettings();
            var r = new RepSettings();
            var c = new CoachingSettings();
            void Same(double sim, float product, string name) => Assert.True(Math.Abs(sim - product) < 1e-6, $"{name}: simulator {sim}, product {product}");
            Same(d.BackRoundingDeg, a.BackRoundingDeg, "back rounding");
            Same(d.ChinDropDeg, a.ChinDropDeg, "chin drop");
            Same(d.HeadUpDeg, a.HeadUpDeg, "head up");
            Same(d.HysteresisDeg, a.HysteresisDeg, "hysteresis");
            Same(d.PersistenceS, a.PersistenceS, "persistence");
            Same(d.GateOpenTorsoDeg, a.GateOpenTorsoDeg, "gate open");
            Same(d.GateCloseTorsoDeg, a.GateCloseTorsoDeg, "gate close");
            Same(d.MinRepDepthDeg, r.MinDepthDeg, "min rep depth");
            Same(d.DepthTargetDeg, c.DepthTargetDeg, "depth target");
            Same(d.DepthToleranceDeg, c.DepthToleranceDeg, "depth tolerance");
            Same(d.LockoutToleranceDeg, c.LockoutToleranceDeg, "lockout tolerance");
            Same(d.OverExtensionDeg, c.OverExtensionDeg, "over-extension");
        }

        [Fact]
        public void The_labels_use_the_devices_words_for_activities_patterns_and_lockouts()
        {
            var deviceActivities = Enumerable.Range(1, Activities.Count - 1).Select(i => Activities.Name((HingeSensor.Algorithms.Activity.ActivityKind)i)).OrderBy(n => n);
            var simActivities = Enum.GetValues<TrueActivity>().Select(TrueActivities.Name).OrderBy(n => n);
            Assert.Equal(deviceActivities, simActivities);
            var devicePatterns = Enumerable.Range(1, RepPatterns.Count - 1).Select(i => RepPatterns.Name((HingeSensor.Algorithms.Reps.RepPattern)i)).OrderBy(n => n);
            Assert.Equal(devicePatterns, Enum.GetValues<SimPattern>().Select(SimTruth.PatternName).OrderBy(n => n));
            var sim = new SimTruth(new FaultDefinitions(), Array.Empty<PlannedActivity>());
            var deviceLockouts = Enumerable.Range(1, Lockouts.Count - 1).Select(i => Lockouts.Name((Lockout)i)).OrderBy(n => n);
            Assert.Equal(deviceLockouts, new[] { sim.LockoutName(0), sim.LockoutName(20), sim.LockoutName(-20) }.OrderBy(n => n));
        }
    }
}
