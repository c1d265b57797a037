using System;

namespace HingeSensor.Simulation.Motion
{
    /// <summary>
    /// One piece of a coordinate's trajectory, evaluated with analytic derivatives. Before
    /// <see cref="Start"/> it contributes nothing; after <see cref="End"/> it contributes the
    /// constant <see cref="Final"/> (so finished pieces can be folded into an offset).
    /// </summary>
    public abstract class MotionComponent
    {
        public double Start { get; protected init; }
        public double End { get; protected init; }
        public double Final { get; protected init; }

        public abstract Kin At(double t);
    }

    /// <summary>Amplitude × (up, hold, down).</summary>
    public sealed class Bump : MotionComponent
    {
        private readonly double _rise, _hold, _fall, _amplitude;

        public Bump(double start, double rise, double hold, double fall, double amplitude)
        {
            Start = start; End = start + rise + hold + fall; Final = 0;
            _rise = rise; _hold = hold; _fall = fall; _amplitude = amplitude;
        }

        public override Kin At(double t) => Smooth.Bump(t, Start, _rise, _hold, _fall) * _amplitude;
    }

    /// <summary>A smooth change by amplitude over the duration, kept afterwards.</summary>
    public sealed class Step : MotionComponent
    {
        private readonly double _amplitude;

        public Step(double start, double duration, double amplitude)
        {
            Start = start; End = start + duration; Final = amplitude; _amplitude = amplitude;
        }

        public override Kin At(double t) => Smooth.Step(t, Start, End - Start) * _amplitude;
    }

    /// <summary>A sinusoid faded in and out smoothly (sway, gait, nodding).</summary>
    public sealed class Oscillation : MotionComponent
    {
        private readonly double _amplitude, _omega, _phase, _fade;

        public Oscillation(double start, double end, double amplitude, double frequencyHz, double phase, double fade)
        {
            Start = start; End = end; Final = 0;
            _amplitude = amplitude; _omega = 2 * Math.PI * frequencyHz; _phase = phase;
            _fade = Math.Min(fade, 0.5 * (end - start));
        }

        public override Kin At(double t)
        {
            if (t <= Start || t >= End) return Kin.Zero;
            Kin e = Smooth.Bump(t, Start, _fade, End - Start - 2 * _fade, _fade);
            double a = _omega * t + _phase;
            double s = Math.Sin(a), ds = _omega * Math.Cos(a), dds = -_omega * _omega * s;
            return new Kin(e.Value * s, e.Rate * s + e.Value * ds, e.Accel * s + 2 * e.Rate * ds + e.Value * dds) * _amplitude;
        }
    }

    /// <summary>A position moving at a speed that ramps up and down smoothly (walking a distance).</summary>
    public sealed class Travel : MotionComponent
    {
        private readonly double _speed, _ramp;

        public Travel(double start, double end, double speed, double ramp)
        {
            _ramp = Math.Min(ramp, 0.5 * (end - start));
            Start = start; End = end; _speed = speed;
            Final = speed * (end - start - _ramp);
        }

        public override Kin At(double t)
        {
            // velocity = speed·(Step(up) − Step(down)) → position = speed·(∫Step(up) − ∫Step(down)).
            Kin up = Smooth.StepIntegral(t, Start, _ramp);
            Kin down = Smooth.StepIntegral(t, End - _ramp, _ramp);
            return (up - down) * _speed;
        }
    }
}
