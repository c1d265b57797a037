using System.Collections.Generic;
using ScottPlot;

namespace HingeSensor.Host.Reports
{
    /// <summary>What every report figure shares: the embedded font, the title, the legend outside the data, the PNG.</summary>
    internal static class PlotFrame
    {
        public static Plot New(string title, string xLabel, string yLabel)
        {
            ReportFonts.Register();
            var plot = new Plot();
            plot.Title(title);
            plot.XLabel(xLabel);
            plot.YLabel(yLabel);
            return plot;
        }

        /// <summary>A label drawn in the report font (ScottPlot's own default is a system font, maybe none).</summary>
        public static ScottPlot.Plottables.Text Text(Plot plot, string text, double x, double y, float size)
        {
            var t = plot.Add.Text(text, x, y);
            t.LabelFontName = ReportFonts.Sans;
            t.LabelFontSize = size;
            return t;
        }

        public static RenderedPlot Render(Plot plot, string id, string title, IEnumerable<LegendItem> legend, ReportOptions options)
        {
            // Only the items given: one entry per kind of thing, not one per alert or rep line.
            plot.Legend.DisplayPlottableLegendItems = false;
            plot.Legend.ManualItems.AddRange(legend);
            plot.Legend.FontName = ReportFonts.Sans;
            plot.Legend.FontSize = 12;
            plot.ShowLegend(Edge.Right);
            // Each label by name: ScottPlot's plot.Font.Set would also change its process-wide default font.
            plot.Axes.Title.Label.FontName = ReportFonts.Sans;
            plot.Axes.Title.Label.Bold = true;
            plot.Axes.Title.Label.FontSize = 15;
            foreach (IAxis axis in plot.Axes.GetAxes())
            {
                axis.Label.FontName = ReportFonts.Sans;
                axis.TickLabelStyle.FontName = ReportFonts.Sans;
            }
            // A fixed frame puts the data area of every figure at the same pixels, so that the
            // stacked time axes line up on the page whatever the tick labels and legend are.
            plot.Layout.Fixed(new PixelPadding(left: 70, right: 240, bottom: 50, top: 40));
            byte[] png = plot.GetImageBytes(options.PlotWidth, options.PlotHeight, ImageFormat.Png);
            return new RenderedPlot(id, title, options.PlotWidth, options.PlotHeight, png);
        }
    }
}
