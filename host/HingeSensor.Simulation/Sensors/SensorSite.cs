using System;
using HingeSensor.Simulation.Body;
using HingeSensor.Simulation.Geometry;

namespace HingeSensor.Simulation.Sensors
{
    /// <summary>The three places a sensor is strapped, in the product's order (head, upper back, sacrum).</summary>
    public enum SensorPlace { Head = 0, UpperBack = 1, Sacrum = 2 }

    /// <summary>Where one sensor sits: on which segment, at which point, rotated how (sensor → segment).</summary>
    public sealed record SensorSite(SensorPlace Place, BodySegment Segment, Vec3 Point, Mat3 SensorToSegment)
    {
        public static BodySegment SegmentOf(SensorPlace p) => p switch
        {
            SensorPlace.Head => BodySegment.Head,
            SensorPlace.UpperBack => BodySegment.UpperThorax,
            _ => BodySegment.Pelvis,
        };

        /// <summary>
        /// Sites with mountings drawn from <paramref name="rng"/>: "aligned" (sensor axes = segment
        /// axes), "random" (any rotation), "strap" (the board flat on the back, face out or — one
        /// time in four — face in, at any angle in its plane, so upside down too, tilted up to 10°
        /// by the body's curve), each displaced by up to <paramref name="offsetCm"/> on the skin.
        /// </summary>
        public static SensorSite[] Draw(Anthropometry body, string mounting, double offsetCm, Random rng)
        {
            var sites = new SensorSite[3];
            for (int i = 0; i < 3; i++)
            {
                var place = (SensorPlace)i;
                Vec3 point = place switch { SensorPlace.Head => body.HeadSite, SensorPlace.UpperBack => body.UpperBackSite, _ => body.SacrumSite };
                double o = offsetCm / 100;
                point += new Vec3(0, o * (2 * rng.NextDouble() - 1), o * (2 * rng.NextDouble() - 1));
                Mat3 m = mounting switch
                {
                    "aligned" => Mat3.Identity,
                    "random" => RandomRotation(rng),
                    "strap" => Strap(rng),
                    _ => throw new ArgumentException($"unknown mounting '{mounting}' (expected strap, random or aligned)"),
                };
                sites[i] = new SensorSite(place, SegmentOf(place), point, m);
            }
            return sites;
        }

        private static Mat3 Strap(Random rng)
        {
            // Board normal (sensor z) points backwards out of the skin, or into it when flipped.
            bool faceIn = rng.NextDouble() < 0.25;
            Mat3 onBack = faceIn ? Mat3.RotY(Math.PI / 2) : Mat3.RotY(-Math.PI / 2); // sensor z → ∓ segment x
            Mat3 spin = Mat3.RotZ(rng.NextDouble() * 2 * Math.PI);
            Mat3 tilt = Mat3.RotX((rng.NextDouble() * 2 - 1) * 10 * Math.PI / 180) * Mat3.RotY((rng.NextDouble() * 2 - 1) * 10 * Math.PI / 180);
            return tilt * onBack * spin;
        }

        public static Mat3 RandomRotation(Random rng)
        {
            // Uniform on SO(3) from a normalised 4-D Gaussian quaternion.
            double w = Gauss(rng), x = Gauss(rng), y = Gauss(rng), z = Gauss(rng);
            double n = Math.Sqrt(w * w + x * x + y * y + z * z);
            w /= n; x /= n; y /= n; z /= n;
            return new Mat3(
                1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
                2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
                2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y));
        }

        public static double Gauss(Random rng)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
