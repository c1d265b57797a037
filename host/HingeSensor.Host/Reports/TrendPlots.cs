using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// The trends figures, one point per session in the order given: reps (with the faulty ones),
    /// fault rate and typical depth. Sessions sit at evenly spaced positions labelled with their
    /// numbers: a wearer trains irregularly, and a date axis would squeeze a busy week into a line.
    /// </summary>
    public static class TrendPlots
    {
        public const string RepsId = "plot-trend-reps";
        public const string FaultRateId = "plot-trend-fault-rate";
        public const string DepthId = "plot-trend-depth";

        private static readonly Color Reps = Color.FromHex("#1f4e99");
        private static readonly Color Faulty = Color.FromHex("#d62728");

        // Beyond this many sessions only every n-th is labelled, so that the labels stay readable.
        private const int MaxLabels = 20;

        public static IReadOnlyList<RenderedPlot> Render(IReadOnlyList<SessionTrend> trends, ReportOptions? options = null)
        {
            options ??= ReportOptions.Default;
            options.Validate();
            double[] xs = Enumerable.Range(1, trends.Count).Select(i => (double)i).ToArray();
            return new[] { RepsPlot(trends, xs, options), FaultRatePlot(trends, xs, options), DepthPlot(trends, xs, options) };
        }

        private static RenderedPlot RepsPlot(IReadOnlyList<SessionTrend> trends, double[] xs, ReportOptions options)
        {
            const string title = "Reps per session";
            Plot plot = PlotFrame.New(title, "session", "reps");
            // The faulty reps are drawn over the counted ones: the red part of each bar is the share with a fault.
            for (int i = 0; i < trends.Count; i++)
            {
                plot.Add.Bar(new Bar { Position = xs[i], Value = trends[i].CountedReps, FillColor = Reps, LineWidth = 0, Size = 0.6 });
                if (trends[i].FaultyReps > 0)
                    plot.Add.Bar(new Bar { Position = xs[i], Value = trends[i].FaultyReps, FillColor = Faulty, LineWidth = 0, Size = 0.6 });
            }
            double top = Math.Max(5, trends.Select(t => t.CountedReps).DefaultIfEmpty(0).Max() * 1.15);
            Frame(plot, trends, 0, top);
            var legend = new[]
            {
                new LegendItem { LabelText = "counted reps", FillColor = Reps },
                new LegendItem { LabelText = "with a fault", FillColor = Faulty },
            };
            return PlotFrame.Render(plot, RepsId, title, legend, options);
        }

        private static RenderedPlot FaultRatePlot(IReadOnlyList<SessionTrend> trends, double[] xs, ReportOptions options)
        {
            const string title = "Fault rate (share of counted reps with a fault)";
            Plot plot = PlotFrame.New(title, "session", "% of reps");
            Points(plot, xs, trends.Select(t => 100 * t.FaultRate).ToArray(), Faulty);
            Frame(plot, trends, 0, 105);
            return PlotFrame.Render(plot, FaultRateId, title, new[] { new LegendItem { LabelText = "fault rate", LineColor = Faulty, LineWidth = 2 } }, options);
        }

        private static RenderedPlot DepthPlot(IReadOnlyList<SessionTrend> trends, double[] xs, ReportOptions options)
        {
            const string title = "Typical depth (median of each rep's deepest torso angle)";
            Plot plot = PlotFrame.New(title, "session", "degrees");
            // 90° is the coaching target: torso parallel to the floor.
            plot.Add.HorizontalLine(90, 1.5f, Colors.DimGray, LinePattern.Dashed);
            double[] depths = trends.Select(t => t.MedianDepthDeg).ToArray();
            Points(plot, xs, depths, Reps);
            double top = Math.Max(110, depths.Where(double.IsFinite).DefaultIfEmpty(0).Max() + 10);
            Frame(plot, trends, 0, top);
            var legend = new[]
            {
                new LegendItem { LabelText = "median depth", LineColor = Reps, LineWidth = 2 },
                new LegendItem { LabelText = "torso horizontal", LineColor = Colors.DimGray, LineWidth = 1.5f, LinePattern = LinePattern.Dashed },
            };
            return PlotFrame.Render(plot, DepthId, title, legend, options);
        }

        // A session without reps has no rate and no depth: NaN leaves a gap instead of a false zero.
        private static void Points(Plot plot, double[] xs, double[] ys, Color colour)
        {
            if (!ys.Any(double.IsFinite)) return;
            var line = plot.Add.Scatter(xs, ys, colour);
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        private static void Frame(Plot plot, IReadOnlyList<SessionTrend> trends, double bottom, double top)
        {
            int step = Math.Max(1, (int)Math.Ceiling(trends.Count / (double)MaxLabels));
            var ticks = trends.Select((t, i) => (t, i)).Where(p => p.i % step == 0).Select(p => new Tick(p.i + 1, "#" + p.t.SessionId)).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            plot.Axes.SetLimits(0.4, trends.Count + 0.6, bottom, top);
        }
    }
}
