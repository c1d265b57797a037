using System;

namespace HingeSensor.Host.Reports
{
    /// <summary>A figure drawn to PNG: what the page embeds and what `--png` writes.</summary>
    public sealed record RenderedPlot(string Id, string Title, int Width, int Height, byte[] Png)
    {
        public string DataUri => "data:image/png;base64," + Convert.ToBase64String(Png);
    }
}
