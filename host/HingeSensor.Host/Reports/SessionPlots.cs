using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Storage;
using ScottPlot;

namespace HingeSensor.Host.Reports
{
    /// <summary>Draws a session's <see cref="AnglePlot"/>s with ScottPlot, one PNG each.</summary>
    public static class SessionPlots
    {
        private static readonly Color Trace = Color.FromHex("#1f4e99");
        private static readonly Color Gate = Color.FromHex("#555555");
        private static readonly Color RepLine = Color.FromHex("#9a9a9a");
        private static readonly Color UncountedRep = Color.FromHex("#cfcfcf");
        private static readonly Color Fault = Color.FromHex("#d62728");

        public static IReadOnlyList<RenderedPlot> Render(StoredSession s, ReportOptions? options = null) =>
            AnglePlots.For(s).Select(p => Render(p, options)).ToList();

        public static RenderedPlot Render(AnglePlot model, ReportOptions? options = null)
        {
            options ??= ReportOptions.Default;
            options.Validate();
            Plot plot = PlotFrame.New(model.Title, "time (s)", "degrees");
            var legend = new List<LegendItem>();

            // Drawn back to front: fault zones, alerts, rep boundaries, thresholds, then the angle itself.
            foreach (ThresholdLine t in model.Thresholds.Where(t => t.Zone != FaultZone.None))
            {
                var zone = t.Zone == FaultZone.Above ? plot.Add.VerticalSpan(t.ValueDeg, model.MaxDeg) : plot.Add.VerticalSpan(model.MinDeg, t.ValueDeg);
                zone.FillColor = Fault.WithAlpha(0.06);
                zone.LineWidth = 0;
            }
            foreach (AlertSpan a in model.AlertSpans)
            {
                var span = plot.Add.HorizontalSpan(a.StartS, a.EndS);
                span.FillColor = Color.FromHex(FaultLook.Colour(a.Fault)).WithAlpha(0.28);
                span.LineWidth = 0;
            }
            foreach (string fault in model.AlertSpans.Select(a => a.Fault).Distinct())
                legend.Add(new LegendItem { LabelText = "alert: " + FaultLook.Label(fault), FillColor = Color.FromHex(FaultLook.Colour(fault)).WithAlpha(0.28) });

            bool numbered = model.Id == AnglePlots.TorsoId;
            foreach (RepMarker r in model.Reps)
            {
                Color c = r.Counted ? RepLine : UncountedRep;
                plot.Add.VerticalLine(r.StartS, 1, c);
                var end = plot.Add.VerticalLine(r.EndS, 1, c);
                end.LinePattern = LinePattern.Dotted;
                if (numbered && r.Counted)
                {
                    var n = PlotFrame.Text(plot, r.Number.ToString(), (r.StartS + r.EndS) / 2, model.MaxDeg, 11);
                    n.LabelAlignment = Alignment.UpperCenter;
                    n.LabelFontColor = r.Faulty ? Fault : Colors.DimGray;
                }
            }
            if (model.Reps.Any(r => r.Counted))
                legend.Add(new LegendItem { LabelText = "rep start / end", LineColor = RepLine, LineWidth = 1 });
            if (model.Reps.Any(r => !r.Counted))
                legend.Add(new LegendItem { LabelText = "not counted", LineColor = UncountedRep, LineWidth = 1 });

            foreach (ThresholdLine t in model.Thresholds)
            {
                Color c = t.Zone == FaultZone.None ? Gate : Fault;
                plot.Add.HorizontalLine(t.ValueDeg, 1.5f, c, LinePattern.Dashed);
                legend.Add(new LegendItem { LabelText = t.Label, LineColor = c, LineWidth = 1.5f, LinePattern = LinePattern.Dashed });
            }

            // NaN (a sensor not valid) leaves a gap in the line rather than a made-up value.
            if (model.AnglesDeg.Any(double.IsFinite))
            {
                var trace = plot.Add.ScatterLine(model.TimesS.ToArray(), model.AnglesDeg.ToArray(), Trace);
                trace.LineWidth = 1.5f;
            }
            legend.Insert(0, new LegendItem { LabelText = model.AngleName, LineColor = Trace, LineWidth = 2 });

            plot.Axes.SetLimits(model.StartS, model.EndS, model.MinDeg, model.MaxDeg);
            return PlotFrame.Render(plot, model.Id, model.Title, legend, options);
        }
    }
}
