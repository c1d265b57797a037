namespace HingeSensor.Simulation.Motion
{
    /// <summary>
    /// Quintic smoothstep s(τ) = 10τ³ − 15τ⁴ + 6τ⁵ and its derivatives: 0 → 1 with zero velocity and
    /// zero acceleration at both ends, so that joined pieces keep the acceleration continuous
    /// (human movement is smooth to second order; the accelerometer sees the second derivative).
    /// </summary>
    public static class Smooth
    {
        /// <summary>Step from 0 to 1 over [t0, t0 + duration] with derivatives in real time.</summary>
        public static Kin Step(double t, double t0, double duration)
        {
            if (t <= t0) return Kin.Zero;
            if (t >= t0 + duration) return new Kin(1, 0, 0);
            double T = duration, u = (t - t0) / T, u2 = u * u, u3 = u2 * u;
            double s = u3 * (10 - 15 * u + 6 * u2);
            double ds = 30 * u2 * (1 - 2 * u + u2) / T;
            double dds = 60 * u * (1 - 3 * u + 2 * u2) / (T * T);
            return new Kin(s, ds, dds);
        }

        /// <summary>0 → 1 → 0: a step up over rise, held for hold, a step down over fall.</summary>
        public static Kin Bump(double t, double t0, double rise, double hold, double fall)
        {
            Kin up = Step(t, t0, rise);
            Kin down = Step(t, t0 + rise + hold, fall);
            return up - down;
        }

        /// <summary>
        /// Integral of <see cref="Step"/> (for a position whose velocity ramps smoothly): with
        /// u = (t − t0)/T it is T·(2.5u⁴ − 3u⁵ + u⁶) inside, T/2 + (t − t0 − T) after.
        /// </summary>
        public static Kin StepIntegral(double t, double t0, double duration)
        {
            if (t <= t0) return Kin.Zero;
            double T = duration;
            if (t >= t0 + T) return new Kin(0.5 * T + (t - t0 - T), 1, 0);
            double u = (t - t0) / T, u2 = u * u, u4 = u2 * u2;
            double p = T * u4 * (2.5 - 3 * u + u2);
            Kin s = Step(t, t0, duration);
            return new Kin(p, s.Value, s.Rate);
        }
    }
}
