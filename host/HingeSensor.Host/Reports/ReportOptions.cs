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
            // Below this the fixed frame (axis labels, legend: 310 × 90 px) leaves too little room for
            // data; above it the page gets heavy.
            if (PlotWidth < 600 || PlotWidth > 4000) throw new ArgumentOutOfRangeException(nameof(PlotWidth), PlotWidth, "plot width must be 600–4000 px");
            if (PlotHeight < 200 || PlotHeight > 3000) throw new ArgumentOutOfRangeException(nameof(PlotHeight), PlotHeight, "plot height must be 200–3000 px");
        }
    }
}
