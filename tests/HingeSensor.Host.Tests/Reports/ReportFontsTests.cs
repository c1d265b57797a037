using HingeSensor.Host.Reports;
using SkiaSharp;
using Xunit;

namespace HingeSensor.Host.Tests.Reports
{
    /// <summary>Plot text comes from the font inside hinge, whatever the machine has installed (maybe nothing).</summary>
    public class ReportFontsTests
    {
        [Fact]
        public void The_report_font_resolves_to_the_embedded_faces_with_the_glyphs_the_plots_use()
        {
            ReportFonts.Register();
            ReportFonts.Register();
            SKTypeface regular = ScottPlot.Fonts.GetTypeface(ReportFonts.Sans, bold: false, italic: false);
            SKTypeface bold = ScottPlot.Fonts.GetTypeface(ReportFonts.Sans, bold: true, italic: false);
            Assert.Equal("DejaVu Sans", regular.FamilyName);
            Assert.True(bold.FontWeight >= (int)SKFontStyleWeight.Bold);
            Assert.True(regular.FontWeight < (int)SKFontStyleWeight.SemiBold);
            foreach (SKTypeface face in new[] { regular, bold })
                Assert.True(face.ContainsGlyphs("Torso angle (°) −10° θ ≤ ≥ – × rep #15"));
        }
    }
}
