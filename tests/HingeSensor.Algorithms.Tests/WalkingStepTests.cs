using System;
using HingeSensor.Algorithms.Activity;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    /// <summary>
    /// Walking from the sacrum's vertical acceleration, on the shape a real pelvis makes: each step
    /// swings twice (heel strike, then push-off ≈ 0.15 s later). A hip-belt recording nobody here
    /// made (docs/public-recordings.md) read as standing for 90 % of its walking until the second
    /// swing stopped restarting the step count.
    /// </summary>
    public class WalkingStepTests
    {
        private const float Rate = 25f; // the classifier runs at the correction rate

        // One step of a walker's vertical acceleration, m/s², at even phases: heel strike, a short
        // dip, push-off, then the long trough of single support (our own shape, zero mean).
        private static readonly float[] TwoSwingStep = Centred(new[] { 3.5f, 4f, -1.5f, 4f, 1f, 0f, -0.5f, -1.5f, -2.5f, -2.5f, -1.5f, -0.5f, 0.5f, 1f });
        private static readonly float[] OneSwingStep = Centred(new[] { 3.5f, 4f, 3f, 2f, 1f, 0f, -0.5f, -1.5f, -2.5f, -2.5f, -1.5f, -0.5f, 0.5f, 1f });

        private static float[] Centred(float[] a)
        {
            float mean = 0;
            foreach (float v in a) mean += v / a.Length;
            for (int i = 0; i < a.Length; i++) a[i] -= mean;
            return a;
        }

        // Standing still for the first 2 s (where the classifier learns gravity), then walking.
        private static float Force(float t, float stepS, bool doublePeak)
        {
            if (t < 2f) return 9.81f;
            t -= 2f;
            float[] step = doublePeak ? TwoSwingStep : OneSwingStep;
            float x = (t % stepS) / stepS * step.Length;
            int i = (int)x;
            float f = x - i;
            return 9.81f + step[i] * (1 - f) + step[(i + 1) % step.Length] * f;
        }

        private static float WalkingShare(float stepS, bool doublePeak)
        {
            var c = new ActivityClassifier(new ActivitySettings());
            int walking = 0, n = 0;
            for (int i = 0; i < (int)(20 * Rate); i++)
            {
                float t = i / Rate;
                ActivityKind k = c.Update(t, 1f, 4f, 0f, Force(t, stepS, doublePeak), 7);
                if (t < 5f) continue; // a few steps to recognise the walk
                n++;
                if (k == ActivityKind.Walking) walking++;
            }
            return walking / (float)n;
        }

        [Theory]
        [InlineData(0.5f)]
        [InlineData(0.56f)]
        [InlineData(0.7f)]
        public void A_walk_whose_pelvis_swings_twice_per_step_is_walking(float stepS)
        {
            Assert.True(WalkingShare(stepS, doublePeak: true) > 0.95f, $"step {stepS} s, two swings per step: walking {WalkingShare(stepS, true):P0}");
            Assert.True(WalkingShare(stepS, doublePeak: false) > 0.95f, $"step {stepS} s, one swing per step: walking {WalkingShare(stepS, false):P0}");
        }

        [Fact]
        public void Standing_still_with_sensor_noise_is_not_walking()
        {
            var c = new ActivityClassifier(new ActivitySettings());
            var rng = new Random(5);
            for (int i = 0; i < (int)(20 * Rate); i++)
            {
                float t = i / Rate;
                ActivityKind k = c.Update(t, 1f, 4f, 0f, 9.81f + 0.3f * (float)(rng.NextDouble() - 0.5), 7);
                Assert.NotEqual(ActivityKind.Walking, k);
            }
        }
    }
}
