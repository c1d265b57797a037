using System;
using System.Collections.Generic;
using HingeSensor.Simulation.Body;
using HingeSensor.Simulation.Motion;
using HingeSensor.Simulation.Scenarios;

namespace HingeSensor.Simulation.Choreography
{
    /// <summary>Sets of lifts: hinges (`set`), squats, stoops, deadlifts and swings, with scripted faults, borderline faults and lockouts.</summary>
    public sealed partial class Choreographer
    {
        /// <summary>When a fault grows, holds and is released, drawn once per rep (a borderline search must not redraw it).</summary>
        private readonly record struct FaultTiming(double Onset, double Rise, double Hold, double Fall);

        private void Lift(SequenceStep s, int setIndex, LiftStyle st)
        {
            int reps = s.Reps ?? 8;
            double flex = _person.Flexibility;
            for (int r = 0; r < reps; r++)
            {
                // The draws below keep the original `set` order: old scenarios replay bit for bit.
                FaultVariant fault = s.Plan != null && r < s.Plan.Count ? ParseFault(s.Plan[r]) : DrawFault(s.Faults);
                double t0 = _t;
                double tempo = _person.Tempo;
                double descent = U(s.DescentS, st.DescentLo, st.DescentHi) * tempo;
                double pause = U(s.PauseS, st.PauseLo, st.PauseHi);
                double ascent = U(s.AscentS, st.AscentLo, st.AscentHi) * tempo;
                double depth = fault == FaultVariant.Partial ? U(25, 38) : U(s.DepthDeg, st.DepthLo + st.DepthFlex * flex, st.DepthHi + st.DepthFlex * flex);
                double share = U(st.ShareLo, st.ShareHi) + st.ShareFlex * flex;
                double knee = U(st.KneeLo, st.KneeHi), ankle = U(st.AnkleLo, st.AnkleHi);
                Hinge(t0, descent, pause, ascent, depth, share, knee, ankle);

                // The head follows the trunk with a little natural variation (looking at the floor ahead).
                double headVar = U(st.HeadLo, st.HeadHi);
                Add(Dof.C0Flex, new Bump(t0, descent, pause, ascent, headVar * Deg));
                Add(Dof.L5Lat, new Bump(t0, descent, pause, ascent, U(-2, 2) * Deg));
                Add(Dof.HipTwist, new Bump(t0, descent, pause, ascent, U(-2, 2) * Deg));

                double magnitude = 0, onset = 0;
                double end = t0 + descent + pause + ascent;
                // Before any borderline search, so that the search measures the rep as it will be.
                LockoutVariant lockout = s.Lockouts != null && s.Lockouts.Count > 0 ? ParseLockout(s.Lockouts[r % s.Lockouts.Count]) : LockoutVariant.Ok;
                double lockoutTail = lockout == LockoutVariant.Ok ? 0 : EndShortOrLeaningBack(lockout, end, ascent);
                string? borderKind = null;
                double borderTarget = 0;
                if (fault is not (FaultVariant.None or FaultVariant.Partial))
                {
                    var (lo, hi, onsetLo, onsetHi) = FaultRanges(fault);
                    magnitude = U(lo, hi);
                    onset = t0 + U(onsetLo, onsetHi) * descent;
                    FaultTiming timing = DrawFaultTiming(onset, t0, descent, pause, ascent);
                    if (s.BorderlineDeg is { Length: > 0 } offsets)
                    {
                        borderKind = LabelKind(fault);
                        borderTarget = Threshold(borderKind) + offsets[r % offsets.Length];
                        magnitude = CalibrateMagnitude(fault, timing, borderKind, borderTarget, t0, end, magnitude);
                    }
                    foreach (var (dof, c) in FaultParts(fault, magnitude, timing)) Add(dof, c);
                }

                Span(TrueActivities.Of(st.Pattern), t0, end);
                _plan.Add(new PlannedActivity(ActivityKind.Rep, t0, end)
                {
                    SetIndex = setIndex, RepIndex = r, Fault = fault, PlannedDepthDeg = depth, FaultMagnitudeDeg = magnitude, FaultOnsetS = onset,
                    Pattern = st.Pattern, Lockout = lockout, DescentS = descent, PauseS = pause, AscentS = ascent,
                    BorderlineKind = borderKind, BorderlineTargetDeg = borderTarget,
                });
                _t = end;
                double rest = r == reps - 1 ? st.LastRest : U(s.RestBetweenS, st.RestLo, st.RestHi);
                rest = Math.Max(rest, lockoutTail + 0.3); // the lean or the short finish resolves before the next rep
                StandQuietly(_t, _t + rest);
                _plan.Add(new PlannedActivity(ActivityKind.RestBetweenReps, end, _t) { SetIndex = setIndex, RepIndex = r });
            }
        }

        /// <summary>Magnitude range (degrees of extra joint motion) and onset (share of the descent) of each scripted fault.</summary>
        private static (double Lo, double Hi, double OnsetLo, double OnsetHi) FaultRanges(FaultVariant f) => f switch
        {
            FaultVariant.LumbarRounding => (24, 36, 0.25, 0.55),
            FaultVariant.ShouldersCollapse => (30, 42, 0.3, 0.6),
            FaultVariant.ChinDrop => (26, 40, 0.7, 0.95),
            FaultVariant.HeadUp => (20, 32, 0.6, 0.95),
            _ => throw new ArgumentOutOfRangeException(nameof(f)),
        };

        /// <summary>
        /// The joints that produce each fault: lumbar rounding flexes L5/S1 and T12 while the pelvis
        /// stops tilting; shoulders collapse flexes T7; chin drop and head up flex or extend the neck and head.
        /// </summary>
        private static IEnumerable<(Dof Dof, MotionComponent C)> FaultParts(FaultVariant f, double magnitude, FaultTiming t)
        {
            (Dof, double)[] parts = f switch
            {
                FaultVariant.LumbarRounding => new[] { (Dof.L5Flex, 0.55 * magnitude), (Dof.T12Flex, 0.45 * magnitude), (Dof.HipFlex, -0.35 * magnitude) },
                FaultVariant.ShouldersCollapse => new[] { (Dof.T7Flex, 0.8 * magnitude), (Dof.C7Flex, 0.2 * magnitude), (Dof.C0Flex, -0.2 * magnitude) },
                FaultVariant.ChinDrop => new[] { (Dof.C7Flex, 0.35 * magnitude), (Dof.C0Flex, 0.65 * magnitude) },
                FaultVariant.HeadUp => new[] { (Dof.C7Flex, -0.3 * magnitude), (Dof.C0Flex, -0.7 * magnitude) },
                _ => Array.Empty<(Dof, double)>(),
            };
            foreach (var (dof, amp) in parts) yield return (dof, new Bump(t.Onset, t.Rise, t.Hold, t.Fall, amp * Deg));
        }

        /// <summary>
        /// A fault grows from its onset over 0.4-0.8 s, is held through the bottom and released
        /// during the ascent, finishing before the rep does.
        /// </summary>
        private FaultTiming DrawFaultTiming(double onset, double t0, double descent, double pause, double ascent)
        {
            double bottomEnd = t0 + descent + pause;
            double rise = Math.Min(U(0.4, 0.8), Math.Max(0.25, bottomEnd + 0.3 * ascent - onset - 0.1));
            double releaseStart = bottomEnd + U(0.05, 0.3) * ascent;
            double hold = Math.Max(0, releaseStart - onset - rise);
            double fall = Math.Max(0.3, (t0 + descent + pause + ascent) - (onset + rise + hold) - 0.15);
            return new FaultTiming(onset, rise, hold, fall);
        }

        /// <summary>The labels' fault kind a scripted variant produces.</summary>
        private static string LabelKind(FaultVariant f) => f switch
        {
            FaultVariant.LumbarRounding or FaultVariant.ShouldersCollapse => "back_rounding",
            FaultVariant.ChinDrop => "chin_drop",
            _ => "head_up",
        };

        private double Threshold(string kind) => kind switch
        {
            "back_rounding" => _definitions.BackRoundingDeg,
            "chin_drop" => _definitions.ChinDropDeg,
            _ => _definitions.HeadUpDeg,
        };

        public static LockoutVariant ParseLockout(string name) => name switch
        {
            "ok" => LockoutVariant.Ok,
            "incomplete" => LockoutVariant.Incomplete,
            "over_extension" => LockoutVariant.OverExtension,
            _ => throw new ArgumentException($"unknown lockout '{name}' (expected ok, incomplete, over_extension)"),
        };

        /// <summary>
        /// The last half of the ascent does not bring the torso back to neutral: it stops 15–28°
        /// short (hips not driven through) or leans back 14–22° (pelvis tilted back, lumbar spine
        /// extended). The posture is reached exactly at the rep's end, held briefly and resolved
        /// during the rest; returns how long that takes after the end, s.
        /// </summary>
        private double EndShortOrLeaningBack(LockoutVariant v, double end, double ascent)
        {
            double rise = 0.5 * ascent, hold = U(0.5, 1.0), fall = 0.8;
            double start = end - rise;
            if (v == LockoutVariant.Incomplete)
            {
                double a = U(15, 28);
                Add(Dof.HipFlex, new Bump(start, rise, hold, fall, 0.85 * a * Deg));
                Add(Dof.L5Flex, new Bump(start, rise, hold, fall, 0.15 * a * Deg));
            }
            else
            {
                double a = -U(14, 22);
                Add(Dof.HipFlex, new Bump(start, rise, hold, fall, 0.6 * a * Deg));
                Add(Dof.L5Flex, new Bump(start, rise, hold, fall, 0.25 * a * Deg));
                Add(Dof.T12Flex, new Bump(start, rise, hold, fall, 0.15 * a * Deg));
            }
            return hold + fall;
        }
    }
}
