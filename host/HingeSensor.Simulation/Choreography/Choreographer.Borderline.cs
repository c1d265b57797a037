using System;
using System.Linq;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.Simulation.Choreography
{
    /// <summary>
    /// Borderline reps: a fault whose true peak lands at a chosen distance from its threshold. The
    /// body model maps a scripted magnitude to the true metric only roughly (the fault shares the
    /// rep with the hinge's own spine flexion, a little lateral bend and twist), so the magnitude is
    /// found by measuring: a secant search on the kinematics alone until the true peak is within
    /// <see cref="ToleranceDeg"/> of the request.
    /// </summary>
    public sealed partial class Choreographer
    {
        /// <summary>How close the search gets; the labels are promised within 0.3°.</summary>
        public const double ToleranceDeg = 0.05;

        private TruthProbe? _probe;

        /// <summary>The true peak over the rep of the metric the labels compare with <paramref name="kind"/>'s threshold.</summary>
        internal static double Metric(string kind, TruthAngles a) => kind switch
        {
            "back_rounding" => a.TrunkFlexion,
            "chin_drop" => a.HeadFlexion,
            _ => -a.HeadFlexion,
        };

        private double CalibrateMagnitude(FaultVariant fault, FaultTiming timing, string kind, double target, double t0, double end, double guess)
        {
            _probe ??= new TruthProbe(_person);
            double Peak(double m) => _probe.Over(_channels, FaultParts(fault, m, timing), t0, end).Max(a => Metric(kind, a));
            // The metrics move about one degree per degree of magnitude (shoulders collapse: 0.8), so the
            // first step is already close; the secant corrects the rest.
            double m0 = guess, p0 = Peak(m0);
            double m1 = Math.Max(0, m0 + (target - p0)), p1 = Peak(m1);
            for (int i = 0; i < 12 && Math.Abs(p1 - target) > ToleranceDeg; i++)
            {
                double slope = Math.Abs(p1 - p0) > 1e-6 ? (p1 - p0) / (m1 - m0) : 1;
                if (slope < 0.1) slope = 0.1; // the metric only grows with the fault: never jump backwards far
                double m2 = Math.Max(0, m1 + (target - p1) / slope);
                (m0, p0) = (m1, p1);
                m1 = m2;
                p1 = Peak(m1);
            }
            if (Math.Abs(p1 - target) > 0.3)
                throw new ArgumentException($"borderline {kind} rep at {t0:0.0} s: cannot reach a true peak of {target:0.0}° (best {p1:0.0}°)");
            return m1;
        }
    }
}
