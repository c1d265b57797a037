using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;

namespace HingeSensor.Web.Tests
{
    /// <summary>What a session report must look like in the browser: its plots decoded, at their stated size.</summary>
    internal static class ReportAssertions
    {
        public static async Task PlotsRenderedAsync(IPage page)
        {
            foreach (string id in new[] { "plot-torso", "plot-trunk", "plot-head" })
            {
                ILocator img = page.Locator("#" + id);
                await Expect(img).ToBeVisibleAsync();
                // decode() rejects for an image the browser cannot read; the natural size is the PNG's own.
                JsonElement size = await img.EvaluateAsync<JsonElement>("async i => { await i.decode(); return { w: i.naturalWidth, h: i.naturalHeight, aw: +i.getAttribute('width'), ah: +i.getAttribute('height'), src: i.src.substring(0, 22) }; }");
                Assert.Equal("data:image/png;base64,", size.GetProperty("src").GetString());
                Assert.Equal(1100, size.GetProperty("w").GetInt32());
                Assert.Equal(300, size.GetProperty("h").GetInt32());
                Assert.Equal(size.GetProperty("aw").GetInt32(), size.GetProperty("w").GetInt32());
                Assert.Equal(size.GetProperty("ah").GetInt32(), size.GetProperty("h").GetInt32());
            }
        }

        private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);
    }
}
