using System;
using System.Linq;
using System.Threading.Tasks;
using HingeSensor.Host.Client;
using HingeSensor.Simulation.Choreography;
using HingeSensor.VirtualDevice;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// The web app as a wearer uses it, on `hinge serve --virtual`'s device through the app's
    /// WebSocket transport: connect, calibrate from the app while the virtual wearer does what each
    /// step needs, watch the live view, record a set.
    /// </summary>
    [Collection("dashboard")]
    public class AppJourneyTests
    {
        private readonly BrowserFixture _browser;
        private readonly ITestOutputHelper _out;

        public AppJourneyTests(BrowserFixture browser, ITestOutputHelper output)
        {
            _browser = browser;
            _out = output;
        }

        [SkippableFact]
        public async Task Connect_calibrate_watch_every_frame_and_record_a_set_from_the_app()
        {
            await using AppPage app = await AppPage.OpenAsync(_browser.Browser);
            IPage page = app.Page;
            await using var dash = await TestDashboard.StartAsync("web/rounding", speed: 2);
            DeviceConnection dashboardLink = await dash.DeviceAsync();
            VirtualDeviceHost host = dashboardLink.Virtual!;
            var plan = host.Rig.Simulation.Plan;
            PlannedActivity neutral = plan.First(p => p.Kind == ActivityKind.CalibrateNeutral);
            PlannedActivity hinge = plan.First(p => p.Kind == ActivityKind.CalibrateHinge);

            await app.ConnectVirtualAsync(dash.Url + "/app");
            // The dashboard lent its device: its own page says who has it.
            Assert.Equal(HingeSensor.Host.Web.DeviceLinkState.Lent, dash.Server.Device.State);
            await Expect(page.Locator("#fault-banner")).ToHaveTextAsync("calibrate: neutral, then hinge");

            // Calibrate from the app, each step while the wearer does it.
            Assert.True(host.TimeS < neutral.EndS - 4, $"the app took until {host.TimeS:0.0} s of device time to connect: the neutral stance is nearly over");
            await page.GetByRole(AriaRole.Link, new() { Name = "Calibrate" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Calibrate neutral" }).ClickAsync();
            await Expect(page.Locator("[data-result=neutral]")).ToContainTextAsync("neutral calibration ok (quality head ");
            await TestDashboard.FastForwardAsync(host, hinge.StartS - 1, TimeSpan.FromSeconds(20));
            await TestDashboard.WaitForDeviceTimeAsync(host, hinge.StartS, TimeSpan.FromSeconds(20));
            await page.GetByRole(AriaRole.Button, new() { Name = "Calibrate hinge" }).ClickAsync();
            await Expect(page.Locator("[data-result=hinge]")).ToContainTextAsync("hinge calibration ok");
            await Expect(page.Locator("#calibration-state")).ToHaveTextAsync("calibration: neutral ✓ · hinge ✓ · range –");
            // The range before... is fine now; a refusal in the device's words is what Range says without a hinge (tested by the words test).

            await page.GetByRole(AriaRole.Link, new() { Name = "Record" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Start recording" }).ClickAsync();
            await Expect(page.Locator("#record-result")).ToContainTextAsync("recording session ");

            // Live at the device's own pace: every frame arrives and every frame is drawn, counted in device time.
            await page.GetByRole(AriaRole.Link, new() { Name = "Live" }).ClickAsync();
            await Expect(page.Locator("#figure")).ToHaveAttributeAsync("data-calibrated", "true");
            host.Speed = 1;
            double[] before = await page.EvaluateAsync<double[]>("() => { const s = hingeApp.live.stats; return [s.received, s.drawn, s.lastT]; }");
            await app.WaitAsync($"hingeApp.live.stats.lastT >= {before[2] + 4000}");
            double[] after = await page.EvaluateAsync<double[]>("() => { const s = hingeApp.live.stats; return [s.received, s.drawn, s.lastT, hingeApp.client.health.gaps]; }");
            double deviceSeconds = (after[2] - before[2]) / 1000;
            double received = (after[0] - before[0]) / deviceSeconds, drawn = (after[1] - before[1]) / deviceSeconds;
            _out.WriteLine($"live: {received:0.0} frames received and {drawn:0.0} drawn per device second over {deviceSeconds:0.0} s; {after[3]} gaps");
            Assert.InRange(received, 24.5, 25.5);
            Assert.True(drawn >= 24, $"the figure showed {drawn:0.0} frames per device second: frames that arrive together are not spread out");
            Assert.Equal(0, after[3]);
            app.AssertNoErrors();
        }
    }
}
