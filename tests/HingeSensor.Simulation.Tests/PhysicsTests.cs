using System;
using System.Linq;
using HingeSensor.Simulation.Body;
using HingeSensor.Simulation.Choreography;
using HingeSensor.Simulation.Geometry;
using HingeSensor.Simulation.Motion;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.Simulation.Sensors;
using Xunit;

namespace HingeSensor.Simulation.Tests
{
    public class PhysicsTests
    {
        private static (WearerPhysics Physics, double Duration) Moving(int seed, string mounting = "random")
        {
            var person = new Person { HeightCm = 176, Flexibility = 0.6 };
            var body = new Anthropometry(1.76);
            var choreo = new Choreographer(person, new Random(seed));
            choreo.Perform(new[]
            {
                new SequenceStep { Do = "stand", DurationS = 1 },
                new SequenceStep { Do = "set", Reps = 3, Plan = new() { "none", "lumbar_rounding", "chin_drop" } },
                new SequenceStep { Do = "walk", DurationS = 8 },
                new SequenceStep { Do = "reach", Count = 2 },
            });
            return (new WearerPhysics(choreo.Channels, body, SensorSite.Draw(body, mounting, 1.5, new Random(seed + 1))), choreo.DurationS);
        }

        [Fact]
        public void A_still_sensor_reads_gravity_rotated_into_its_frame_and_no_rate()
        {
            var person = new Person();
            var body = new Anthropometry(1.75);
            var channels = Enumerable.Range(0, Dofs.Count).Select(_ => new Channel()).ToArray();
            double[] n = person.NeutralFlexions();
            channels[(int)Dof.HipFlex] = new Channel(n[0]);
            channels[(int)Dof.T7Flex] = new Channel(n[3]);
            channels[(int)Dof.Heading] = new Channel(1.1);
            var physics = new WearerPhysics(channels, body, SensorSite.Draw(body, "random", 1.5, new Random(3)));
            var truth = new SensorTruth[3];
            physics.Tick(0, truth);
            physics.Tick(5, truth);
            foreach (SensorTruth s in truth)
            {
                Vec3 expected = s.SensorToWorld.TransposeTimes(new Vec3(0, 0, WearerPhysics.Gravity));
                Assert.True((s.SpecificForce - expected).Length < 1e-9, $"{s.SpecificForce} vs {expected}");
                Assert.True(s.Rate.Length < 1e-12);
                Assert.Equal(WearerPhysics.Gravity, s.SpecificForce.Length, 9);
            }
        }

        [Fact]
        public void Integrating_the_simulated_rate_reproduces_the_true_orientation()
        {
            var (physics, duration) = Moving(5);
            var truth = new SensorTruth[3];
            physics.Tick(0, truth);
            Mat3[] integrated = truth.Select(s => s.SensorToWorld).ToArray();
            const double dt = 1e-3;
            var prevRate = truth.Select(s => s.Rate).ToArray();
            for (int k = 1; k * dt <= duration; k++)
            {
                physics.Tick(k * dt, truth);
                for (int i = 0; i < 3; i++)
                {
                    // Body-frame rate: R ← R · exp(ω dt), trapezoidal in ω.
                    Vec3 w = (prevRate[i] + truth[i].Rate) * 0.5;
                    double angle = w.Length * dt;
                    if (angle > 0) integrated[i] = integrated[i] * Mat3.AxisAngle(w, angle);
                    prevRate[i] = truth[i].Rate;
                }
            }
            for (int i = 0; i < 3; i++)
            {
                Mat3 diff = integrated[i].Transpose() * truth[i].SensorToWorld;
                double err = Math.Acos(Math.Clamp((diff.M00 + diff.M11 + diff.M22 - 1) / 2, -1, 1)) * 180 / Math.PI;
                Assert.True(err < 0.05, $"sensor {i}: integrated orientation off by {err:0.0000}° after {duration:0} s");
            }
        }

        [Fact]
        public void Specific_force_is_the_finite_difference_acceleration_of_the_mount_point_plus_gravity()
        {
            double duration = Moving(9).Duration;
            var truth = new SensorTruth[3];
            const double h = 1e-3;
            var rng = new Random(4);
            double worst = 0, worstRate = 0;
            double[] times = Enumerable.Range(0, 60).Select(_ => 1 + rng.NextDouble() * (duration - 2)).OrderBy(t => t).ToArray();
            // One physics per sample time, evaluated forward at t−h, t, t+h.
            foreach (double t in times)
            {
                var (p, _) = Moving(9);
                var pos = new Vec3[3][];
                var mats = new Mat3[3][];
                SensorTruth[] atT = new SensorTruth[3];
                for (int j = 0; j < 3; j++)
                {
                    p.Tick(t + (j - 1) * h, truth);
                    pos[j] = truth.Select(s => s.Position).ToArray();
                    mats[j] = truth.Select(s => s.SensorToWorld).ToArray();
                    if (j == 1) Array.Copy(truth, atT, 3);
                }
                for (int i = 0; i < 3; i++)
                {
                    Vec3 a = (pos[2][i] - pos[1][i] * 2 + pos[0][i]) / (h * h);
                    Vec3 f = atT[i].SensorToWorld.TransposeTimes(a + new Vec3(0, 0, WearerPhysics.Gravity));
                    worst = Math.Max(worst, (f - atT[i].SpecificForce).Length);
                    // And the rate against the finite difference of orientation: R(t−h)ᵀ R(t+h) ≈ exp(2h ω).
                    Mat3 d = mats[0][i].Transpose() * mats[2][i];
                    Vec3 w = new Vec3(d.M21 - d.M12, d.M02 - d.M20, d.M10 - d.M01) / (2 * 2 * h);
                    worstRate = Math.Max(worstRate, (w - atT[i].Rate).Length);
                }
            }
            Assert.True(worst < 0.01, $"specific force differs from the finite difference by {worst:0.0000} m/s²");
            Assert.True(worstRate < 0.005, $"rate differs from the finite difference by {worstRate:0.00000} rad/s");
        }

        [Fact]
        public void Walking_and_hinging_produce_realistic_accelerations()
        {
            var (physics, duration) = Moving(2);
            var truth = new SensorTruth[3];
            double maxLin = 0, maxRate = 0;
            for (double t = 0; t <= duration; t += 0.002)
            {
                physics.Tick(t, truth);
                foreach (SensorTruth s in truth)
                {
                    maxLin = Math.Max(maxLin, s.Acceleration.Length);
                    maxRate = Math.Max(maxRate, s.Rate.Length);
                }
            }
            // Body-worn IMUs in gait and lifting: linear acceleration of a few m/s², rates of 1-4 rad/s.
            Assert.InRange(maxLin, 1.0, 15.0);
            Assert.InRange(maxRate * 180 / Math.PI, 60, 400);
        }
    }
}
