using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Simulation;
using HingeSensor.Simulation.Geometry;
using HingeSensor.VirtualDevice;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    public class SamplerTests
    {
        [Fact]
        public void Three_chips_on_their_own_clocks_come_out_in_lockstep_on_the_device_clock()
        {
            var scenario = Scenarios.Workout();
            scenario.Sensors.Imperfect = false;          // exact readings ...
            scenario.Sensors.ClockErrorPpmSd = 5000;     // ... on clocks up to ±1 % off
            var rig = new VirtualRig(scenario, 3);
            var truth = new Dictionary<long, (Vec3 F, Vec3 W)[]>();
            rig.OnPhysics = (t, s) =>
            {
                long ms = (long)Math.Round(t * 1000);
                if (ms % 10 == 0) truth[ms] = s.Select(x => (x.SpecificForce, x.Rate)).ToArray();
            };
            var tap = new Tap();
            rig.Core.Tap = tap;
            rig.Boot();
            rig.AdvanceTo(60);

            Assert.Contains(rig.Imus, i => Math.Abs(i.ClockError) > 0.002);
            var after = tap.Frames.Where(f => f.TimeUs > 5_000_000).ToList();
            Assert.InRange(after.Count, 5400, 5600);      // 100 Hz on the device clock
            Assert.All(after.Zip(after.Skip(1)), p => Assert.Equal(10_000, p.Second.TimeUs - p.First.TimeUs));
            double gyroSq = 0, accelSq = 0;
            int n = 0;
            int missing = after.Sum(f => f.Samples.Count(x => !x.Present));
            Assert.True(missing == 0, $"{missing} sensor samples missing");
            foreach (SensorFrame f in after)
            {
                var tr = truth[f.TimeUs / 1000];
                for (int i = 0; i < 3; i++)
                {
                    var g = f.Samples[i].Gyro;
                    var a = f.Samples[i].Accel;
                    gyroSq += Math.Pow(g.X - tr[i].W.X, 2) + Math.Pow(g.Y - tr[i].W.Y, 2) + Math.Pow(g.Z - tr[i].W.Z, 2);
                    accelSq += Math.Pow(a.X - tr[i].F.X, 2) + Math.Pow(a.Y - tr[i].F.Y, 2) + Math.Pow(a.Z - tr[i].F.Z, 2);
                    n++;
                }
            }
            double gyroRms = Math.Sqrt(gyroSq / n), accelRms = Math.Sqrt(accelSq / n);
            // Timing errors of a couple of ms against rates of ~1 rad/s and rate changes of a few rad/s².
            Assert.True(gyroRms < 0.02, $"gyro RMS error {gyroRms:0.0000} rad/s");
            Assert.True(accelRms < 0.1, $"accel RMS error {accelRms:0.0000} m/s²");
            for (int i = 0; i < 3; i++)
            {
                double expected = 10_000 / (1 + rig.Imus[i].ClockError);
                Assert.InRange(rig.Core.Sampler.Channel(i).Clock.PeriodUs, expected - 10, expected + 10); // the rate within 0.1 %
            }
        }
    }
}
