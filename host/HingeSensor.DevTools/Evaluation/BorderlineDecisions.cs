using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Analysis;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>One borderline rep: which fault kind, whether the truth labels it a fault, whether the device alerted that kind in the rep.</summary>
    public sealed record BorderlineDecision(string Kind, double TargetDeg, bool TrueFault, bool Alerted)
    {
        public bool Correct => TrueFault == Alerted;
    }

    /// <summary>
    /// Decision accuracy near the thresholds: for every borderline rep, the truth (a labeled
    /// episode of its kind in the rep) against the device (an alert of that kind starting within
    /// the rep, with the matching tolerance after its end).
    /// </summary>
    public static class BorderlineDecisions
    {
        public static List<BorderlineDecision> Of(Labels labels, IReadOnlyList<AlertRecord> alerts, double toleranceS) =>
            labels.Reps.Where(r => r.BorderlineKind != null).Select(r =>
            {
                string kind = r.BorderlineKind!;
                bool alerted = alerts.Any(a => a.Fault == kind && a.StartS >= r.StartS - toleranceS && a.StartS <= r.EndS + toleranceS);
                return new BorderlineDecision(kind, r.BorderlineTargetDeg ?? double.NaN, r.Faults.Contains(kind), alerted);
            }).ToList();
    }
}
