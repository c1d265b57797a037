using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Simulation.Choreography;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.Simulation.Truth;
using Xunit;

namespace HingeSensor.Simulation.Tests
{
    /// <summary>The coaching steps and labels (issue 12) measured on the body's own truth.</summary>
    public class CoachingLabelTests
    {
        private static Scenario With(params SequenceStep[] steps)
        {
            var seq = new List<SequenceStep> { new() { Do = "calibrate_neutral", DurationS = 3 } };
            seq.AddRange(steps);
            return new Scenario { Name = "coaching", Sensors = new SensorSpec { Imperfect = false }, Sequence = seq };
        }

        private static (Labels Labels, List<SimulatedRow> Rows, IReadOnlyList<PlannedActivity> Plan) Run(Scenario s, int seed)
        {
            var sim = new WearerSimulation(s, seed);
            var rows = sim.Rows().ToList();
            return (sim.Labels, rows, sim.Plan);
        }

        [Fact]
        public void A_squat_drops_the_sacrum_far_more_than_a_hinge_and_tilts_the_pelvis_less()
        {
            var (labels, _, _) = Run(With(
                new SequenceStep { Do = "set", Reps = 3 },
                new SequenceStep { Do = "squat", Reps = 3, Depth = "deep" },
                new SequenceStep { Do = "squat", Reps = 3, Depth = "half", Load = "loaded" }), 5);
            var hinges = labels.Reps.Where(r => r.Pattern == "hinge").ToList();
            var deep = labels.Reps.Where(r => r.Pattern == "squat").Take(3).ToList();
            var half = labels.Reps.Where(r => r.Pattern == "squat").Skip(3).ToList();
            Assert.Equal(3, hinges.Count);
            Assert.Equal(3, half.Count);
            // Hinge: the pelvis tilting forward lifts the sacrum, or lowers it by a knee bend's few cm.
            Assert.All(hinges, r => Assert.InRange(r.SacrumDropCm, -6, 6));
            Assert.All(deep, r => Assert.InRange(r.SacrumDropCm, 30, 60));
            Assert.All(half, r => Assert.InRange(r.SacrumDropCm, 8, 25));
            Assert.True(deep.Min(r => r.SacrumDropCm) > hinges.Max(r => r.SacrumDropCm) + 25);
            Assert.All(hinges, r => Assert.InRange(r.PelvisShare, 0.85, 0.97));
            Assert.All(deep.Concat(half), r => Assert.InRange(r.PelvisShare, 0.6, 0.82));
            Assert.True(deep.Max(r => r.DepthDeg) < hinges.Min(r => r.DepthDeg), "a squat keeps the torso more upright");
        }

        [Fact]
        public void A_stoop_rounds_the_back_with_little_pelvis()
        {
            var (labels, _, _) = Run(With(new SequenceStep { Do = "stoop", Reps = 3 }), 6);
            Assert.All(labels.Reps, r =>
            {
                Assert.Equal("stoop", r.Pattern);
                Assert.InRange(r.PelvisShare, 0.45, 0.65);
                Assert.True(r.MaxTrunkFlexionDeg > 25, $"trunk flexion {r.MaxTrunkFlexionDeg}");
                Assert.Contains("back_rounding", r.Faults);
            });
            Assert.All(labels.Faults, f => Assert.Equal("stoop", f.Variant));
        }

        [Theory]
        [InlineData("lumbar_rounding", 11)]
        [InlineData("shoulders_collapse", 12)]
        [InlineData("chin_drop", 13)]
        [InlineData("head_up", 14)]
        public void A_borderline_rep_peaks_where_it_was_asked_to(string fault, int seed)
        {
            double[] offsets = { -3, -1.5, 1.5, 3 };
            var (labels, _, _) = Run(With(new SequenceStep { Do = "set", Reps = 4, BorderlineDeg = offsets, Plan = Enumerable.Repeat(fault, 4).ToList() },
                new SequenceStep { Do = "deadlift", Reps = 2, BorderlineDeg = new[] { -0.75, 0.75 }, Plan = Enumerable.Repeat(fault, 2).ToList() }), seed);
            var d = labels.Definitions;
            foreach (LabelRep r in labels.Reps)
            {
                Assert.NotNull(r.BorderlineKind);
                double threshold = r.BorderlineKind switch { "back_rounding" => d.BackRoundingDeg, "chin_drop" => d.ChinDropDeg, _ => d.HeadUpDeg };
                double truePeak = r.BorderlineKind switch { "back_rounding" => r.MaxTrunkFlexionDeg, "chin_drop" => r.MaxHeadFlexionDeg, _ => -r.MinHeadFlexionDeg };
                Assert.InRange(truePeak, r.BorderlineTargetDeg!.Value - 0.3, r.BorderlineTargetDeg.Value + 0.3);
                // Under the threshold is a clean rep by the labels; well over it (≥ 1.5°, held through the bottom) a fault.
                if (r.BorderlineTargetDeg < threshold) Assert.DoesNotContain(r.BorderlineKind, r.Faults);
                if (r.BorderlineTargetDeg >= threshold + 1.5) Assert.Contains(r.BorderlineKind, r.Faults);
            }
            Assert.Equal(new[] { -3, -1.5, 1.5, 3, -0.75, 0.75 }, labels.Reps.Select(r => Math.Round(r.BorderlineTargetDeg!.Value - (r.BorderlineKind switch
                { "back_rounding" => d.BackRoundingDeg, "chin_drop" => d.ChinDropDeg, _ => d.HeadUpDeg }), 3)));
        }

        [Fact]
        public void Seated_reaches_bring_the_torso_33_to_45_degrees_forward_and_are_never_faults()
        {
            var (labels, rows, plan) = Run(With(new SequenceStep { Do = "seated_reach", Count = 4 }, new SequenceStep { Do = "sit_to_stand", Reps = 3 }), 7);
            PlannedActivity reach = plan.Single(p => p.Kind == ActivityKind.SeatedReach);
            var torso = rows.Where(r => r.Imu.TimeS >= reach.StartS && r.Imu.TimeS <= reach.EndS).Select(r => r.Truth.Torso).ToList();
            Assert.InRange(torso.Max(), 33, 45);
            int reaches = torso.Zip(torso.Skip(1), (a, b) => a < 30 && b >= 30).Count(up => up);
            Assert.Equal(4, reaches);
            Assert.Empty(labels.Reps);
            Assert.Empty(labels.Faults);
            Assert.Contains(labels.Activity, a => a.Kind == "sit_to_stand");
            Assert.Contains(labels.Activity, a => a.Kind == "sitting");
        }

        [Fact]
        public void Lockouts_are_labeled_from_the_torso_at_the_end_of_the_rep()
        {
            var (labels, _, _) = Run(With(new SequenceStep { Do = "set", Reps = 3, Lockouts = new() { "ok", "incomplete", "over_extension" } }), 9);
            Assert.Equal(new[] { "ok", "incomplete", "over_extension" }, labels.Reps.Select(r => r.Lockout));
            Assert.InRange(labels.Reps[0].EndTorsoDeg, -8, 8);
            Assert.True(labels.Reps[1].EndTorsoDeg > labels.Definitions.LockoutToleranceDeg);
            Assert.True(labels.Reps[2].EndTorsoDeg < -labels.Definitions.OverExtensionDeg);
            Assert.All(labels.Reps, r => Assert.Equal(r.DepthDeg >= 80, r.DepthReached));
            Assert.All(labels.Reps, r => Assert.True(r.DescentS > 0 && r.AscentS > 0));
        }

        [Fact]
        public void The_activity_spans_cover_the_recording_in_the_device_words()
        {
            var (labels, _, _) = Run(With(
                new SequenceStep { Do = "set", Reps = 2 }, new SequenceStep { Do = "walk", DurationS = 8 }, new SequenceStep { Do = "tie_shoe", Count = 1 },
                new SequenceStep { Do = "swing", Reps = 3 }, new SequenceStep { Do = "sit", DurationS = 10 }), 10);
            string[] words = { "standing", "walking", "sitting", "sit_to_stand", "hinge", "squat", "bending_other" };
            Assert.All(labels.Activity, a => Assert.Contains(a.Kind, words));
            Assert.Equal(0, labels.Activity[0].StartS);
            Assert.Equal(labels.DurationS, labels.Activity[^1].EndS, 3);
            for (int i = 1; i < labels.Activity.Count; i++)
            {
                Assert.Equal(labels.Activity[i - 1].EndS, labels.Activity[i].StartS, 3);
                Assert.NotEqual(labels.Activity[i - 1].Kind, labels.Activity[i].Kind);
            }
            foreach (string k in new[] { "standing", "walking", "sitting", "sit_to_stand", "hinge", "bending_other" })
                Assert.Contains(labels.Activity, a => a.Kind == k);
            // Tying a shoe is labeled no fault, whatever the angles do: the device must stay silent through it.
            PlannedActivity tie = new WearerSimulation(With(new SequenceStep { Do = "tie_shoe", Count = 1 }), 10).Plan.Single(p => p.Kind == ActivityKind.TieShoe);
            Assert.True(tie.IsSilent);
        }
    }
}
