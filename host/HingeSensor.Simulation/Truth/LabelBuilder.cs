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
        private readonly Dictionary<int, (double Depth, double MaxTrunk, double MaxHead, double MinHead)> _repStats = new();
        private bool _gateOpen;
        private int _planCursor;

        private sealed class Episode
        {
            public bool Candidate, Active;
            public double Onset, Peak;
        }

        public LabelBuilder(FaultDefinitions definitions, IReadOnlyList<PlannedActivity> plan)
        {
            _def = definitions;
            _plan = plan;
            _excluded = plan.Where(p => p.Kind is ActivityKind.CalibrateNeutral or ActivityKind.CalibrateHinge or ActivityKind.ToeTouch)
                            .Select(p => (p.StartS, p.EndS)).ToArray();
        }

        public void Add(double t, TruthAngles truth)
        {
            int rep = RepAt(t);
            if (rep >= 0)
            {
                _repStats.TryGetValue(rep, out var s);
                if (!_repStats.ContainsKey(rep)) s = (double.MinValue, double.MinValue, double.MinValue, double.MaxValue);
                _repStats[rep] = (Math.Max(s.Depth, truth.Torso), Math.Max(s.MaxTrunk, truth.TrunkFlexion), Math.Max(s.MaxHead, truth.HeadFlexion), Math.Min(s.MinHead, truth.HeadFlexion));
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
            string variant = rep >= 0 ? VariantName(_plan[rep].Fault) : "incidental";
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

        public static string ActivityName(ActivityKind k) => k switch
        {
            ActivityKind.CalibrateNeutral => "calibrate_neutral",
            ActivityKind.CalibrateHinge => "calibrate_hinge",
            ActivityKind.ToeTouch => "toe_touch",
            ActivityKind.RestBetweenReps => "rest_between_reps",
            _ => k.ToString().ToLowerInvariant(),
        };

        /// <summary>Closes open episodes at the end and assembles the rep table and activity list.</summary>
        public (List<LabelRep> Reps, List<LabelFault> Faults, List<LabelActivity> Activities) Finish(double endS)
        {
            for (int k = 0; k < 3; k++) if (_episodes[k].Active) Close(k, endS);
            var reps = new List<LabelRep>();
            for (int i = 0; i < _plan.Count; i++)
            {
                PlannedActivity p = _plan[i];
                if (p.Kind != ActivityKind.Rep) continue;
                var s = _repStats.TryGetValue(i, out var v) ? v : (0, 0, 0, 0);
                int number = reps.Count;
                var kinds = _faults.Where(f => f.Rep == number).Select(f => f.Kind).Distinct().ToList();
                reps.Add(new LabelRep(p.SetIndex, p.RepIndex, p.StartS, p.EndS, s.Item1, s.Item1 >= _def.MinRepDepthDeg,
                    VariantName(p.Fault), s.Item2, s.Item3, s.Item4, kinds));
            }
            var activities = _plan.Where(p => p.Kind != ActivityKind.Rep && p.Kind != ActivityKind.RestBetweenReps)
                .Select(p => new LabelActivity(ActivityName(p.Kind), p.StartS, p.EndS)).ToList();
            return (reps, _faults.OrderBy(f => f.OnsetS).ToList(), activities);
        }
    }
}
