using System.Collections.Generic;

namespace HingeSensor.Host.Reports
{
    /// <summary>A rendered report: the self-contained page, and its figures for those who want them as files.</summary>
    public sealed record SessionReport(string Html, IReadOnlyList<RenderedPlot> Plots);
}
