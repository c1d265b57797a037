using System.Threading.Tasks;
using HingeSensor.Algorithms.Posture;
using HingeSensor.TestSupport;
using Microsoft.Playwright;
using Xunit;

namespace HingeSensor.Web.Tests
{
    /// <summary>The page draws the back with the device's own geometry: its gap is the gap the device computes.</summary>
    [Collection("dashboard")]
    public class FigureGeometryTests
    {
        private readonly BrowserFixture _browser;

        public FigureGeometryTests(BrowserFixture browser) => _browser = browser;

        // Sacrum, upper back, head inclinations (°) and height (cm).
        private static readonly double[][] Postures =
        {
            new double[] { 0, 0, 0, 175 },       // standing
            new double[] { 60, 85, 85, 178 },    // a clean hinge
            new double[] { 45, 85, 85, 160 },    // lumbar rounding
            new double[] { 60, 85, 115, 190 },   // chin drop
            new double[] { 60, 85, 65, 175 },    // head cranked up
            new double[] { 70, 60, 60, 175 },    // arched back
            new double[] { 100, 130, 150, 175 }, // toe touch
        };

        [SkippableFact]
        public async Task The_drawn_dowel_gap_is_the_one_the_device_computes()
        {
            await using BrowserPage browserPage = await _browser.OpenPageAsync();
            IPage page = browserPage.Page;
            await using var dash = await TestDashboard.StartAsync();
            await page.GotoAsync(dash.Url + "/");
            foreach (double[] p in Postures)
            {
                double gap = await page.EvaluateAsync<double>(
                    "async ([s, u, h, height]) => (await import('/assets/app/figure.js')).backGeometry(s, u, h, height).dowel.gapCm", p);
                float expected = DowelLine.GapCm((float)p[0], (float)p[1], (float)p[2], new BodyDimensions((float)p[3]));
                Assert.True(System.Math.Abs(gap - expected) < 0.01, $"posture {string.Join("/", p)}: page {gap:0.000} cm, device {expected:0.000} cm");
            }
        }
    }
}
