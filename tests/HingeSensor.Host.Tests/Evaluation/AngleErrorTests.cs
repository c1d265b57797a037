using HingeSensor.DevTools.Evaluation;
using Xunit;

namespace HingeSensor.Host.Tests.Evaluation
{
    /// <summary>The per-sample angle error figures against known inputs.</summary>
    public class AngleErrorTests
    {
        [Fact]
        public void The_summary_is_of_absolute_errors_median_p95_and_max()
        {
            ErrorSummary s = ErrorSummary.Of(new[] { -1.0, 2, -3, 4, 5 });
            Assert.Equal(3, s.Median, 9);
            Assert.Equal(4.8, s.P95, 9); // rank 0.95·4 = 3.8 between 4 and 5
            Assert.Equal(5, s.Max, 9);
            Assert.Equal(5, s.Samples);
            Assert.True(double.IsNaN(ErrorSummary.Of(new double[0]).Median));
        }

        [Fact]
        public void Each_sample_is_compared_with_the_truth_row_nearest_in_time()
        {
            var truth = new TruthAngleTrack(new[] { 0.0, 0.01, 0.02 }, new[] { 1.0, 2, 3 }, new[] { 10.0, 20, 30 }, new[] { 0.0, 45, 90 });
            var e = new AngleErrors(truth);
            e.Add(0.011, 4, 18, 46);   // nearest row 0.01
            e.Add(0.0149, 2, 20, 45);  // still 0.01
            e.Add(0.0151, 3.5, 29, 88); // 0.02
            Assert.Equal(new[] { 2.0, 0, 0.5 }, e.Trunk);
            Assert.Equal(new[] { -2.0, 0, -1 }, e.Head);
            Assert.Equal(new[] { 1.0, 0, -2 }, e.Torso);
            ErrorSummary trunk = ErrorSummary.Of(e.Trunk);
            Assert.Equal(0.5, trunk.Median, 9);
            Assert.Equal(2, trunk.Max, 9);
        }
    }
}
