using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Simulation.Choreography;
using HingeSensor.Simulation.Scenarios;

namespace HingeSensor.Simulation.Truth
{
    /// <summary>
    /// Builds the labels from the true angles, sample by sample, applying the fault definitions
    /// of the scenario (the product's thresholds, hinge gate, hysteresis and persistence). Never
    /// consults the detector.
    /// </summary>
    public sealed class LabelBuilder
    {
        private static readonly string[] Kinds = { "back_rounding", "chin_drop", "head_up" };

        private readonly FaultDefinitions _def;
        private readonly IReadOnlyList<PlannedActivity> _plan;
        private readonly (double Start, double End)[] _excluded;
        private readonly List<LabelFault> _faults = new();
        private readonly Episode[] _episodes = { new(), new(), new() };
        private readonly Dictionary<int, RepTruth> _repStats = new();
        private readonly IReadOnlyList<ActivitySpan> _spans;
        private bool _gateOpen;
        private int _planCursor;

        private sealed class Episode
        {
            public bool Candidate, Active;
            public double Onset, Peak;
        }

        public LabelBuilder(FaultDefinitions definitions, IReadOnlyList<PlannedActivity> plan, IReadOnlyList<ActivitySpan>? spans = null)
        {
            _def = definitions;
            _plan = plan;
            _spans = spans ?? Array.Empty<ActivitySpan>();
            // Calibrations are never labeled; nor are the everyday movements the device must stay silent through.
            _excluded = plan.Where(p => p.Kind is ActivityKind.CalibrateNeutral or ActivityKind.CalibrateHinge or ActivityKind.ToeTouch || p.IsSilent)
                            .Select(p => (p.StartS, p.EndS)).ToArray();
        }

        /// <param name="sacrumHeightM">Height of the sacrum sensor site over the floor, m (for the reps' sacrum drop).</param>
        public void Add(double t, TruthAngles truth, double sacrumHeightM = 0)
        {
            int rep = RepAt(t);
            if (rep >= 0)
            {
                if (!_repStats.TryGetValue(rep, out RepTruth? s)) _repStats[rep] = s = new RepTruth();
                s.Add(truth, sacrumHeightM);
            }

            bool excluded = _excluded.Any(w => t >= w.Start && t <= w.End);
            if (!_gateOpen && truth.Torso >= _def.GateOpenTorsoDeg) _gateOpen = true;
            else if (_gateOpen && truth.Torso <= _def.GateCloseTorsoDeg) _gateOpen = false;
            bool watching = _gateOpen && !excluded;

            Step(0, t, truth.TrunkFlexion, _def.BackRoundingDeg, watching);
            Step(1, t, truth.HeadFlexion, _def.ChinDropDeg, watching);
            Step(2, t, -truth.HeadFlexion, _def.HeadUpDeg, watching);
        }

        private int RepAt(double t)
        {
            // The plan is in time order and t only grows: keep a cursor.
            while (_planCursor < _plan.Count && _plan[_planCursor].EndS < t) _planCursor++;
            for (int i = _planCursor; i < _plan.Count && _plan[i].StartS <= t; i++)
                if (_plan[i].Kind == ActivityKind.Rep && t >= _plan[i].StartS && t <= _plan[i].EndS) return i;
            return -1;
        }

        private void Step(int k, double t, double value, double threshold, bool watching)
        {
            Episode e = _episodes[k];
            if (e.Active)
            {
                e.Peak = Math.Max(e.Peak, value);
                if (!watching || value < threshold - _def.HysteresisDeg) Close(k, t);
                return;
            }
            if (!watching || value <= threshold)
            {
                e.Candidate = false;
                return;
            }
            if (!e.Candidate)
            {
                e.Candidate = true;
                e.Onset = t;
                e.Peak = value;
            }
            e.Peak = Math.Max(e.Peak, value);
            if (t - e.Onset >= _def.PersistenceS - 1e-9) e.Active = true;
        }

        private void Close(int k, double t)
        {
            Episode e = _episodes[k];
            int rep = RepContaining(e.Onset);
            string variant = rep >= 0 ? RepVariant(_plan[rep]) : "incidental";
            _faults.Add(new LabelFault(Kinds[k], variant, e.Onset, t, e.Peak, rep >= 0 ? RepNumber(rep) : -1));
            e.Active = false;
            e.Candidate = false;
        }

        private int RepContaining(double t)
        {
            for (int i = 0; i < _plan.Count; i++)
                if (_plan[i].Kind == ActivityKind.Rep && t >= _plan[i].StartS && t <= _plan[i].EndS) return i;
            return -1;
        }

        private int RepNumber(int planIndex)
        {
            int n = 0;
            for (int i = 0; i < planIndex; i++) if (_plan[i].Kind == ActivityKind.Rep) n++;
            return n;
        }

        public static string VariantName(FaultVariant v) => v switch
        {
            FaultVariant.LumbarRounding => "lumbar_rounding",
            FaultVariant.ShouldersCollapse => "shoulders_collapse",
            FaultVariant.ChinDrop => "chin_drop",
            FaultVariant.HeadUp => "head_up",
            FaultVariant.Partial => "partial",
            _ => "none",
        };

        /// <summary>The scripted fault of a rep; a stoop's own rounding is its own variant (the rounded pick-up itself).</summary>
        public static string RepVariant(PlannedActivity p) => p.Fault == FaultVariant.None && p.Pattern == RepPattern.Stoop ? "stoop" : VariantName(p.Fault);

        public static string PatternName(RepPattern p) => p switch
        {
            RepPattern.Squat => "squat",
            RepPattern.Stoop => "stoop",
            _ => "hinge",
        };

        public static string ActivityName(ActivityKind k) => k switch
        {
            ActivityKind.SitToStand => "sit_to_stand",
            ActivityKind.SeatedReach => "seated_reach",
            ActivityKind.TieShoe => "tie_shoe",
            ActivityKind.CalibrateNeutral => "calibrate_neutral",
            ActivityKind.CalibrateHinge => "calibrate_hinge",
            ActivityKind.ToeTouch => "toe_touch",
            ActivityKind.RestBetweenReps => "rest_between_reps",
            _ => k.ToString().ToLowerInvariant(),
        };

        /// <summary>"ok", "incomplete" or "over_extension" for a rep ending at this true torso angle.</summary>
        public string LockoutName(double endTorsoDeg) =>
            endTorsoDeg > _def.LockoutToleranceDeg ? "incomplete" : endTorsoDeg < -_def.OverExtensionDeg ? "over_extension" : "ok";

        /// <summary>Closes open episodes at the end and assembles the rep table and activity lists.</summary>
        public (List<LabelRep> Reps, List<LabelFault> Faults, List<LabelActivity> Activities, List<LabelSpan> Activity) Finish(double endS)
        {
            for (int k = 0; k < 3; k++) if (_episodes[k].Active) Close(k, endS);
            var reps = new List<LabelRep>();
            for (int i = 0; i < _plan.Count; i++)
            {
                PlannedActivity p = _plan[i];
                if (p.Kind != ActivityKind.Rep) continue;
                RepTruth s = _repStats.TryGetValue(i, out RepTruth? v) ? v : new RepTruth { Depth = 0, MaxTrunk = 0, MaxHead = 0, MinHead = 0 };
                int number = reps.Count;
                var kinds = _faults.Where(f => f.Rep == number).Select(f => f.Kind).Distinct().ToList();
                reps.Add(new LabelRep(p.SetIndex, p.RepIndex, p.StartS, p.EndS, s.Depth, s.Depth >= _def.MinRepDepthDeg,
                    VariantName(p.Fault), s.MaxTrunk, s.MaxHead, s.MinHead, kinds)
                {
                    Pattern = PatternName(p.Pattern),
                    PelvisShare = Math.Round(s.PelvisShare, 4),
                    SacrumDropCm = Math.Round(s.SacrumDropCm, 2),
                    DepthReached = s.Depth >= _def.DepthTargetDeg - _def.DepthToleranceDeg,
                    Lockout = LockoutName(s.EndTorso),
                    EndTorsoDeg = Math.Round(s.EndTorso, 2),
                    DescentS = Math.Round(p.DescentS, 3),
                    BottomS = Math.Round(p.PauseS, 3),
                    AscentS = Math.Round(p.AscentS, 3),
                    BorderlineKind = p.BorderlineKind,
                    BorderlineTargetDeg = p.BorderlineKind != null ? Math.Round(p.BorderlineTargetDeg, 3) : null,
                });
            }
            var activities = _plan.Where(p => p.Kind != ActivityKind.Rep && p.Kind != ActivityKind.RestBetweenReps)
                .Select(p => new LabelActivity(ActivityName(p.Kind), p.StartS, p.EndS)).ToList();
            var cover = TrueActivities.Cover(_spans, endS)
                .Select(a => new LabelSpan(TrueActivities.Name(a.Kind), Math.Round(a.StartS, 3), Math.Round(a.EndS, 3))).ToList();
            return (reps, _faults.OrderBy(f => f.OnsetS).ToList(), activities, cover);
        }
    }
}
