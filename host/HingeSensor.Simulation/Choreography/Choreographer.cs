using System;
using System.Collections.Generic;
using HingeSensor.Simulation.Body;
using HingeSensor.Simulation.Motion;
using HingeSensor.Simulation.Scenarios;

namespace HingeSensor.Simulation.Choreography
{
    /// <summary>
    /// Turns a scenario's sequence into joint trajectories (one <see cref="Channel"/> per
    /// <see cref="Dof"/>) and a plan of what happened when. Movements follow the coaching text:
    /// hinge by pushing the hips back with a small knee bend to a near-horizontal torso, return
    /// with the hips forward; faults are extra flexion of the joints that produce them.
    /// </summary>
    public sealed partial class Choreographer
    {
        private const double Deg = Math.PI / 180;

        private readonly Person _person;
        private readonly Random _rng;
        private readonly FaultDefinitions _definitions;
        private readonly Channel[] _channels = new Channel[Dofs.Count];
        private readonly List<PlannedActivity> _plan = new();
        private readonly List<ActivitySpan> _spans = new();
        private double _t;
        private double _heading;

        /// <param name="definitions">The labels' fault thresholds, which borderline reps are scripted around (the product's when null).</param>
        public Choreographer(Person person, Random rng, FaultDefinitions? definitions = null)
        {
            _person = person;
            _rng = rng;
            _definitions = definitions ?? new FaultDefinitions();
            double[] neutral = person.NeutralFlexions();
            for (int i = 0; i < Dofs.Count; i++) _channels[i] = new Channel();
            _heading = rng.NextDouble() * 2 * Math.PI;
            _channels[(int)Dof.Heading] = new Channel(_heading);
            _channels[(int)Dof.HipFlex] = new Channel(neutral[0]);
            _channels[(int)Dof.L5Flex] = new Channel(neutral[1]);
            _channels[(int)Dof.T12Flex] = new Channel(neutral[2]);
            _channels[(int)Dof.T7Flex] = new Channel(neutral[3]);
            _channels[(int)Dof.C7Flex] = new Channel(neutral[4]);
            _channels[(int)Dof.C0Flex] = new Channel(neutral[5]);
        }

        public Channel[] Channels => _channels;
        public IReadOnlyList<PlannedActivity> Plan => _plan;

        /// <summary>What the wearer truly did when (not necessarily covering every instant; see <see cref="TrueActivities.Cover"/>).</summary>
        public IReadOnlyList<ActivitySpan> Spans => _spans;
        public double DurationS => _t;

        /// <summary>Appends every step of the sequence, in order.</summary>
        public void Perform(IReadOnlyList<SequenceStep> sequence)
        {
            int set = 0;
            for (int i = 0; i < sequence.Count; i++)
            {
                SequenceStep s = sequence[i];
                switch (s.Do)
                {
                    case "stand": Stand(s.DurationS ?? 5, s.Style ?? "still", ActivityKind.Stand); break;
                    case "calibrate_neutral": Stand(s.DurationS ?? 4, "still", ActivityKind.CalibrateNeutral); break;
                    case "calibrate_hinge": CalibrationHinge(); break;
                    case "toe_touch": ToeTouch(); break;
                    case "set": Lift(s, set++, LiftStyle.Hinge(_person.Flexibility)); break;
                    case "squat": Lift(s, set++, LiftStyle.Squat(s.Depth ?? "deep", s.Load ?? "bodyweight")); break;
                    case "stoop": Lift(s, set++, LiftStyle.Stoop); break;
                    case "deadlift": Lift(s, set++, LiftStyle.Deadlift(_person.Flexibility)); break;
                    case "swing": Lift(s, set++, LiftStyle.Swing); break;
                    case "sit_to_stand": SitToStand(s.Reps ?? 5); break;
                    case "seated_reach": SeatedReach(s.Count ?? 4); break;
                    case "tie_shoe": TieShoe(s.Count ?? 2, s.DurationS); break;
                    case "walk": Walk(s.DurationS ?? 30, s.SpeedMps ?? 1.25); break;
                    case "sit": Sit(s.DurationS ?? 30, s.Slump ?? true, s.Phone ?? false); break;
                    case "reach": Reach(s.Count ?? 4); break;
                    default: throw new ArgumentException($"sequence[{i}]: unknown step '{s.Do}'");
                }
            }
        }

        private void Add(Dof dof, MotionComponent c) => _channels[(int)dof].Add(c);

        private void Span(TrueActivity kind, double start, double end) => _spans.Add(new ActivitySpan(kind, start, end));

        private double U(double lo, double hi) => lo + (hi - lo) * _rng.NextDouble();
        private double U(double[]? range, double lo, double hi) => range is { Length: 2 } ? U(range[0], range[1]) : U(lo, hi);

        /// <summary>Standing: physiological sway, plus weight shifts or looking around when asked.</summary>
        private void Stand(double duration, string style, ActivityKind kind)
        {
            double t0 = _t, t1 = _t + duration;
            Add(Dof.AnkleFlex, new Oscillation(t0, t1, 0.4 * Deg, U(0.15, 0.3), U(0, 6), 0.5));
            Add(Dof.AnkleFlex, new Oscillation(t0, t1, 0.15 * Deg, U(0.5, 0.9), U(0, 6), 0.5));
            Add(Dof.AnkleLat, new Oscillation(t0, t1, 0.3 * Deg, U(0.15, 0.35), U(0, 6), 0.5));
            Add(Dof.C0Flex, new Oscillation(t0, t1, 0.3 * Deg, U(0.2, 0.5), U(0, 6), 0.5));
            if (style == "shift")
            {
                Add(Dof.HipLat, new Oscillation(t0, t1, U(3, 5) * Deg, U(0.08, 0.15), U(0, 6), 2));
                Add(Dof.AnkleLat, new Oscillation(t0, t1, U(1.5, 2.5) * Deg, U(0.08, 0.15), U(0, 6), 2));
                Add(Dof.L5Lat, new Oscillation(t0, t1, U(1, 3) * Deg, U(0.08, 0.15), U(0, 6), 2));
                Add(Dof.HipFlex, new Oscillation(t0, t1, U(1, 3) * Deg, U(0.05, 0.1), U(0, 6), 2));
            }
            if (style == "shift" || style == "look_around")
            {
                Add(Dof.C0Twist, new Oscillation(t0, t1, U(20, 40) * Deg, U(0.1, 0.2), U(0, 6), 1));
                Add(Dof.C7Twist, new Oscillation(t0, t1, U(5, 10) * Deg, U(0.1, 0.2), U(0, 6), 1));
                Add(Dof.C0Flex, new Oscillation(t0, t1, U(4, 8) * Deg, U(0.15, 0.3), U(0, 6), 1));
            }
            _plan.Add(new PlannedActivity(kind, t0, t1));
            _t = t1;
        }

        /// <summary>
        /// One hinge: the torso (upper back) goes 'depth' forward; the pelvis does 'share' of it,
        /// the spine the rest spread over L5, T12 and T7; knees bend a little and go forward.
        /// </summary>
        private void Hinge(double t0, double descent, double pause, double ascent, double depth, double share, double knee, double ankle)
        {
            double spine = depth * (1 - share);
            double thigh = ankle - knee; // thigh inclination change: hips go back
            void Bump(Dof d, double amplitudeDeg) => Add(d, new Bump(t0, descent, pause, ascent, amplitudeDeg * Deg));
            Bump(Dof.AnkleFlex, ankle);
            Bump(Dof.KneeFlex, knee);
            Bump(Dof.HipFlex, depth * share - thigh);
            Bump(Dof.L5Flex, 0.4 * spine);
            Bump(Dof.T12Flex, 0.35 * spine);
            Bump(Dof.T7Flex, 0.25 * spine);
        }

        private void CalibrationHinge()
        {
            double t0 = _t;
            double depth = 60 + 15 * _person.Flexibility;
            double d = 2.4 * _person.Tempo, p = 0.5, a = 2.4 * _person.Tempo;
            Hinge(t0 + 0.5, d, p, a, depth, 0.93, 12, 5);
            Span(TrueActivity.Hinge, t0 + 0.5, t0 + 0.5 + d + p + a);
            _plan.Add(new PlannedActivity(ActivityKind.CalibrateHinge, t0, t0 + 0.5 + d + p + a + 1.0));
            StandQuietly(t0, t0 + 0.5 + d + p + a + 1.0);
        }

        private void ToeTouch()
        {
            double t0 = _t;
            double d = 2.5 * _person.Tempo, p = 1.0, a = 2.5 * _person.Tempo;
            double depth = 95 + 20 * _person.Flexibility;
            Hinge(t0 + 0.5, d, p, a, depth, 0.55 + 0.1 * _person.Flexibility, 8, 4);
            Add(Dof.C7Flex, new Bump(t0 + 0.5, d, p, a, 15 * Deg));
            Span(TrueActivity.BendingOther, t0 + 0.5, t0 + 0.5 + d + p + a);
            _plan.Add(new PlannedActivity(ActivityKind.ToeTouch, t0, t0 + 0.5 + d + p + a + 1.0));
            StandQuietly(t0, t0 + 0.5 + d + p + a + 1.0);
        }

        private void StandQuietly(double t0, double t1)
        {
            Add(Dof.AnkleFlex, new Oscillation(t0, t1, 0.3 * Deg, U(0.15, 0.3), U(0, 6), 0.5));
            _t = t1;
        }

        private static readonly string[] FaultNames = { "lumbar_rounding", "shoulders_collapse", "chin_drop", "head_up", "partial" };

        public static FaultVariant ParseFault(string name) => name switch
        {
            "none" or "clean" => FaultVariant.None,
            "lumbar_rounding" => FaultVariant.LumbarRounding,
            "shoulders_collapse" => FaultVariant.ShouldersCollapse,
            "chin_drop" => FaultVariant.ChinDrop,
            "head_up" => FaultVariant.HeadUp,
            "partial" => FaultVariant.Partial,
            _ => throw new ArgumentException($"unknown fault '{name}' (expected none, lumbar_rounding, shoulders_collapse, chin_drop, head_up, partial)"),
        };

        private FaultVariant DrawFault(Dictionary<string, double>? probabilities)
        {
            if (probabilities == null) return FaultVariant.None;
            double u = _rng.NextDouble(), acc = 0;
            foreach (string name in FaultNames)
            {
                if (!probabilities.TryGetValue(name, out double p)) continue;
                acc += p;
                if (u < acc) return ParseFault(name);
            }
            return FaultVariant.None;
        }

        /// <summary>Walking between sets: straight legs of 6-12 s with 180° turns in place.</summary>
        private void Walk(double duration, double speed)
        {
            double t0 = _t, t1 = _t + duration;
            double t = t0;
            while (t < t1 - 2)
            {
                double leg = Math.Min(U(6, 12), t1 - t);
                double stepHz = U(1.7, 1.95);
                double ramp = 0.8;
                Add(Dof.RootX, new Travel(t, t + leg, speed * Math.Cos(_heading), ramp));
                Add(Dof.RootY, new Travel(t, t + leg, speed * Math.Sin(_heading), ramp));
                Add(Dof.RootZ, new Oscillation(t, t + leg, 0.018, stepHz, U(0, 6), ramp));
                Add(Dof.KneeFlex, new Oscillation(t, t + leg, 4 * Deg, stepHz, U(0, 6), ramp));
                Add(Dof.AnkleLat, new Oscillation(t, t + leg, 1.5 * Deg, stepHz / 2, U(0, 6), ramp));
                Add(Dof.HipLat, new Oscillation(t, t + leg, 4 * Deg, stepHz / 2, U(0, 6), ramp));
                Add(Dof.HipTwist, new Oscillation(t, t + leg, 5 * Deg, stepHz / 2, U(0, 6), ramp));
                Add(Dof.T12Twist, new Oscillation(t, t + leg, -4 * Deg, stepHz / 2, U(0, 6), ramp));
                Add(Dof.AnkleFlex, new Bump(t, ramp, leg - 2 * ramp, ramp, U(2, 4) * Deg));
                Add(Dof.C0Flex, new Oscillation(t, t + leg, 3 * Deg, U(0.2, 0.4), U(0, 6), ramp));
                t += leg;
                double left = t1 - t;
                if (left < 1.5) break;
                double turn = Math.Min(1.4, left);
                double delta = (_rng.NextDouble() < 0.5 ? -1 : 1) * Math.PI;
                Add(Dof.Heading, new Step(t, turn, delta));
                _heading += delta;
                t += turn;
            }
            Span(TrueActivity.Walking, t0, t1);
            _plan.Add(new PlannedActivity(ActivityKind.Walk, t0, t1));
            _t = t1;
        }

        /// <summary>Sit down, stay seated (optionally slumped over a phone), stand up.</summary>
        private void Sit(double duration, bool slump, bool phone)
        {
            double t0 = _t;
            double down = 2.0 * _person.Tempo, up = 2.0 * _person.Tempo;
            double seated = Math.Max(2, duration - down - up);
            double lean = U(15, 28);
            // Knees to 90°, shank a little forward, thigh back to horizontal, pelvis rolls back 15°;
            // the trunk leans forward through the middle of each transition.
            void Hold(Dof d, double amplitudeDeg) => Add(d, new Bump(t0, down, seated, up, amplitudeDeg * Deg));
            double ankle = U(6, 10), knee = 90;
            double thigh = ankle - knee, pelvis = -15;
            Hold(Dof.AnkleFlex, ankle);
            Hold(Dof.KneeFlex, knee);
            Hold(Dof.HipFlex, pelvis - thigh);
            Add(Dof.HipFlex, new Bump(t0 + 0.2 * down, 0.4 * down, 0, 0.4 * down, lean * Deg));
            Add(Dof.HipFlex, new Bump(t0 + down + seated + 0.2 * up, 0.4 * up, 0, 0.4 * up, lean * Deg));
            double ts = t0 + down + 1.0, te = t0 + down + seated - 1.0;
            if (slump && te > ts + 2)
            {
                double r = 1.5;
                Add(Dof.HipFlex, new Bump(ts, r, te - ts - 2 * r, r, -10 * Deg));
                Add(Dof.L5Flex, new Bump(ts, r, te - ts - 2 * r, r, 14 * Deg));
                Add(Dof.T12Flex, new Bump(ts, r, te - ts - 2 * r, r, 10 * Deg));
                Add(Dof.T7Flex, new Bump(ts, r, te - ts - 2 * r, r, 8 * Deg));
            }
            if (phone && te > ts + 2)
            {
                double r = 1.0;
                Add(Dof.C7Flex, new Bump(ts, r, te - ts - 2 * r, r, 15 * Deg));
                Add(Dof.C0Flex, new Bump(ts, r, te - ts - 2 * r, r, 22 * Deg));
            }
            Add(Dof.C0Twist, new Oscillation(t0 + down, t0 + down + seated, 15 * Deg, U(0.05, 0.12), U(0, 6), 1));
            Span(TrueActivity.SitToStand, t0, t0 + down);
            Span(TrueActivity.Sitting, t0 + down, t0 + down + seated);
            Span(TrueActivity.SitToStand, t0 + down + seated, t0 + down + seated + up);
            _plan.Add(new PlannedActivity(ActivityKind.Sit, t0, t0 + down + seated + up));
            _t = t0 + down + seated + up;
        }

        /// <summary>Reaching to a shelf, overhead or to the side: everyday, not a lift.</summary>
        private void Reach(int count)
        {
            double t0 = _t;
            for (int i = 0; i < count; i++)
            {
                double t = _t, go = U(0.8, 1.3), hold = U(0.5, 1.5), back = U(0.8, 1.3);
                switch (_rng.Next(3))
                {
                    case 0: // forward to chest height
                        Add(Dof.HipFlex, new Bump(t, go, hold, back, U(8, 16) * Deg));
                        Add(Dof.L5Flex, new Bump(t, go, hold, back, U(1, 4) * Deg));
                        Add(Dof.T12Flex, new Bump(t, go, hold, back, U(1, 3) * Deg));
                        break;
                    case 1: // overhead, looking up
                        Add(Dof.L5Flex, new Bump(t, go, hold, back, -U(4, 8) * Deg));
                        Add(Dof.T12Flex, new Bump(t, go, hold, back, -U(3, 6) * Deg));
                        Add(Dof.C0Flex, new Bump(t, go, hold, back, -U(10, 20) * Deg));
                        break;
                    default: // to the side
                        double side = _rng.NextDouble() < 0.5 ? -1 : 1;
                        Add(Dof.L5Lat, new Bump(t, go, hold, back, side * U(6, 10) * Deg));
                        Add(Dof.T12Lat, new Bump(t, go, hold, back, side * U(5, 8) * Deg));
                        Add(Dof.HipLat, new Bump(t, go, hold, back, side * U(3, 5) * Deg));
                        break;
                }
                _t = t + go + hold + back;
                Span(TrueActivity.BendingOther, t, _t);
                StandQuietly(_t, _t + U(0.8, 2.0));
            }
            _plan.Add(new PlannedActivity(ActivityKind.Reach, t0, _t));
        }
    }
}
