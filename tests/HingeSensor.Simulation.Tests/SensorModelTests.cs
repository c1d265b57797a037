using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Simulation.Geometry;
using HingeSensor.Simulation.Sensors;
using Xunit;

namespace HingeSensor.Simulation.Tests
{
    public class SensorModelTests
    {
        private static List<ChipSample> Run(Mpu6050Model chip, double seconds, Func<double, (Vec3 F, Vec3 W)> input)
        {
            var samples = new List<ChipSample>();
            for (int m = 0; m * 1e-3 <= seconds; m++)
            {
                double t = m * 1e-3;
                var (f, w) = input(t);
                if (chip.Tick(t, f, w, out ChipSample s)) samples.Add(s);
            }
            return samples;
        }

        [Fact]
        public void An_ideal_chip_quantises_to_the_configured_sensitivity()
        {
            var config = new Mpu6050Config { AccelRangeG = 8, GyroRangeDps = 1000, Imperfect = false };
            var chip = new Mpu6050Model(config, 1);
            var samples = Run(chip, 1, _ => (new Vec3(0, 0, 9.80665), new Vec3(Math.PI / 180 * 100, 0, 0)));
            Assert.InRange(samples.Count, 99, 101);
            Assert.All(samples, s =>
            {
                Assert.Equal(4096, s.Az);       // 1 g at ±8 g: 4096 LSB/g
                Assert.Equal(3280, s.Gx);       // 100 °/s at ±1000 °/s: 32.8 LSB/(°/s)
                Assert.Equal(0, s.Ax);
            });
            var (a, g) = Mpu6050Model.ToSi(samples[0], config);
            Assert.Equal(9.80665, a.Z, 6);
            Assert.Equal(100 * Math.PI / 180, g.X, 6);
        }

        [Fact]
        public void Readings_beyond_full_scale_clip_at_the_rails_and_are_flagged()
        {
            var config = new Mpu6050Config { AccelRangeG = 2, GyroRangeDps = 250, Imperfect = false };
            var chip = new Mpu6050Model(config, 1);
            var samples = Run(chip, 0.5, _ => (new Vec3(0, 30, -30), new Vec3(0, 0, 8)));
            Assert.All(samples, s =>
            {
                Assert.Equal(short.MaxValue, s.Ay);
                Assert.Equal(short.MinValue, s.Az);
                Assert.Equal(short.MaxValue, s.Gz);
                Assert.True(s.AccelClipped && s.GyroClipped);
            });
        }

        [Fact]
        public void Noise_matches_the_datasheet_density_through_the_low_pass()
        {
            // At rest, after the 44 Hz DLPF: σ ≈ 400 µg/√Hz · √(π/2 · 44 Hz) ≈ 3.3 mg.
            var chip = new Mpu6050Model(new Mpu6050Config { DlpfCfg = 3, ClockErrorPpmSd = 0 }, 7);
            var samples = Run(chip, 60, _ => (new Vec3(0, 0, 9.80665), Vec3.Zero));
            double[] x = samples.Select(s => (double)s.Ax).ToArray();
            double mean = x.Average();
            double sd = Math.Sqrt(x.Select(v => (v - mean) * (v - mean)).Average()) / 4096.0; // in g
            Assert.InRange(sd * 1000, 2.4, 4.5);
            double[] gx = samples.Select(s => (double)s.Gx / 32.8).ToArray();
            double gMean = gx.Average();
            double gSd = Math.Sqrt(gx.Select(v => (v - gMean) * (v - gMean)).Average());
            // 0.005 °/s/√Hz · √(π/2 · 42) ≈ 0.04 °/s, plus bias drift and 1-LSB (0.03 °/s) quantisation.
            Assert.InRange(gSd, 0.02, 0.12);
            // The constant zero-rate offset is there, as on a real chip, and within the datasheet's ±20 °/s.
            Assert.InRange(Math.Abs(gMean), 0.0, 20.0);
        }

        [Fact]
        public void Each_chip_keeps_its_own_slightly_wrong_clock()
        {
            var config = new Mpu6050Config { ClockErrorPpmSd = 3000 };
            var chips = Enumerable.Range(0, 5).Select(i => new Mpu6050Model(config, 100 + i)).ToArray();
            foreach (var chip in chips)
            {
                var samples = Run(chip, 200, _ => (new Vec3(0, 0, 9.8), Vec3.Zero));
                double measuredRate = (samples.Count - 1) / (samples[^1].TimeS - samples[0].TimeS);
                Assert.Equal(100 * (1 + chip.ClockError), measuredRate, 2);
            }
            Assert.True(chips.Select(c => c.ClockError).Distinct().Count() == 5);
            Assert.Contains(chips, c => Math.Abs(c.ClockError) > 5e-4);
        }

        [Fact]
        public void The_same_seed_gives_the_same_chip_and_another_seed_another()
        {
            var config = new Mpu6050Config();
            var a = Run(new Mpu6050Model(config, 5), 2, t => (new Vec3(0, Math.Sin(t), 9.8), new Vec3(0.1, 0, 0)));
            var b = Run(new Mpu6050Model(config, 5), 2, t => (new Vec3(0, Math.Sin(t), 9.8), new Vec3(0.1, 0, 0)));
            var c = Run(new Mpu6050Model(config, 6), 2, t => (new Vec3(0, Math.Sin(t), 9.8), new Vec3(0.1, 0, 0)));
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }

        [Fact]
        public void Strap_mountings_cover_upside_down_and_face_in()
        {
            var body = new Body.Anthropometry(1.7);
            var rng = new Random(1);
            int upsideDown = 0, faceIn = 0;
            for (int i = 0; i < 200; i++)
            {
                foreach (SensorSite s in SensorSite.Draw(body, "strap", 1.5, rng))
                {
                    // Sensor y pointing down the back = upside down; sensor z into the body = face in.
                    if (s.SensorToSegment.Column(1).Z < -0.5) upsideDown++;
                    if (s.SensorToSegment.Column(2).X > 0.5) faceIn++;
                }
            }
            Assert.InRange(upsideDown, 80, 220);
            Assert.InRange(faceIn, 100, 200);
        }
    }
}
