using System;

namespace HingeSensor.Host.Reports
{
    /// <summary>How a report is drawn. The defaults suit a laptop screen and print on A4 landscape.</summary>
    public sealed record ReportOptions
    {
        public static readonly ReportOptions Default = new();

        /// <summary>Each figure's width in pixels (the PNG's and the &lt;img&gt;'s).</summary>
        public int PlotWidth { get; init; } = 1100;

        /// <summary>Each figure's height in pixels.</summary>
        public int PlotHeight { get; init; } = 300;

        internal void Validate()
        {
            // Below this the legend and axis labels leave no room for data; above it the page gets heavy.
            if (PlotWidth < 400 || PlotWidth > 4000) throw new ArgumentOutOfRangeException(nameof(PlotWidth), PlotWidth, "plot width must be 400–4000 px");
            if (PlotHeight < 150 || PlotHeight > 3000) throw new ArgumentOutOfRangeException(nameof(PlotHeight), PlotHeight, "plot height must be 150–3000 px");
        }
    }
}
