using System;
using System.Collections.Generic;
using System.Linq;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>The spread of absolute errors: median, 95th percentile, worst; degrees.</summary>
    public sealed record ErrorSummary(double Median, double P95, double Max, int Samples)
    {
        /// <summary>Of the absolute values of <paramref name="errors"/>; NaN figures when there are none.</summary>
        public static ErrorSummary Of(IEnumerable<double> errors)
        {
            var sorted = errors.Select(Math.Abs).OrderBy(e => e).ToList();
            if (sorted.Count == 0) return new ErrorSummary(double.NaN, double.NaN, double.NaN, 0);
            return new ErrorSummary(Percentile(sorted, 0.5), Percentile(sorted, 0.95), sorted[^1], sorted.Count);
        }

        /// <summary>Linear interpolation between the closest ranks (the same rule as the latency figures).</summary>
        public static double Percentile(IReadOnlyList<double> sorted, double p)
        {
            if (sorted.Count == 0) return double.NaN;
            double pos = p * (sorted.Count - 1);
            int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
        }
    }
}
