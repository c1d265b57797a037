using System.Collections.Generic;
using System.Linq;

namespace HingeSensor.Simulation.Choreography
{
    /// <summary>
    /// What the wearer is truly doing, in the same words the device uses for its own activity
    /// classification (the simulator does not reference the algorithms: the names are repeated).
    /// </summary>
    public enum TrueActivity
    {
        Standing, Walking, Sitting, SitToStand, Hinge, Squat, BendingOther,
    }

    /// <summary>One scripted stretch of a <see cref="TrueActivity"/>.</summary>
    public readonly record struct ActivitySpan(TrueActivity Kind, double StartS, double EndS);

    public static class TrueActivities
    {
        /// <summary>Stable names, equal to the device's (Activities.Name).</summary>
        public static string Name(TrueActivity k) => k switch
        {
            TrueActivity.Standing => "standing",
            TrueActivity.Walking => "walking",
            TrueActivity.Sitting => "sitting",
            TrueActivity.SitToStand => "sit_to_stand",
            TrueActivity.Hinge => "hinge",
            TrueActivity.Squat => "squat",
            _ => "bending_other",
        };

        public static TrueActivity Of(RepPattern p) => p switch
        {
            RepPattern.Hinge => TrueActivity.Hinge,
            RepPattern.Squat => TrueActivity.Squat,
            _ => TrueActivity.BendingOther, // a stoop is bending, neither hinge nor squat
        };

        /// <summary>
        /// The spans as a cover of [0, end]: what no movement claims is standing (quiet stance,
        /// rests); adjacent spans of one kind are merged.
        /// </summary>
        public static List<ActivitySpan> Cover(IEnumerable<ActivitySpan> spans, double endS)
        {
            var result = new List<ActivitySpan>();
            double t = 0;
            void Push(TrueActivity k, double a, double b)
            {
                if (b - a <= 1e-9) return;
                if (result.Count > 0 && result[^1].Kind == k && a - result[^1].EndS <= 1e-9)
                    result[^1] = result[^1] with { EndS = b };
                else result.Add(new ActivitySpan(k, a, b));
            }
            foreach (ActivitySpan s in spans.OrderBy(s => s.StartS))
            {
                double a = System.Math.Max(s.StartS, t), b = System.Math.Min(s.EndS, endS);
                if (a > t) Push(TrueActivity.Standing, t, a);
                if (b > a) { Push(s.Kind, a, b); t = b; }
            }
            if (endS > t) Push(TrueActivity.Standing, t, endS);
            return result;
        }
    }
}
