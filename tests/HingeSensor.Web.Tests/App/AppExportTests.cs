using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;
using HingeSensor.Host.Web;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Models;
using HingeSensor.Web.Tests.WebBluetooth;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// The web app away from `hinge serve`: exported as static files (`hinge app export`), served by
    /// a plain static file server (Python's http.server: nothing of ours), it reaches a HingeSensor
    /// through the browser's own Web Bluetooth stack (Chromium's BluetoothEmulation, answered by the
    /// virtual device's firmware core: docs/web-bluetooth-testing.md), and its service worker opens
    /// it again with the server gone.
    /// </summary>
    [Collection("dashboard")]
    public class AppExportTests
    {
        private readonly BrowserFixture _browser;
        private readonly ITestOutputHelper _out;

        public AppExportTests(BrowserFixture browser, ITestOutputHelper output)
        {
            _browser = browser;
            _out = output;
        }

        private static (int Code, string Out, string Err) Hinge(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = HingeCli.Run(args, o, e);
            return (code, o.ToString(), e.ToString());
        }

        [Fact]
        public void The_export_is_the_app_hinge_serves_and_its_service_worker_keeps_every_file_of_it()
        {
            using var dir = new TempDir();
            var r = Hinge("app", "export", "--out", dir.Path);
            Assert.True(r.Code == 0, r.Err);
            IReadOnlyDictionary<string, byte[]> app = StaticAssets.AppFiles();
            Assert.Contains($"{app.Count} files in ", r.Out);
            foreach (var (name, bytes) in app) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(dir.Path, name)));
            Assert.Equal(app.Count, Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Length);

            // Offline, the app is what the service worker cached: every file but itself, and its folder.
            string sw = File.ReadAllText(Path.Combine(dir.Path, "sw.js"));
            string list = sw[sw.IndexOf("const SHELL = [", StringComparison.Ordinal)..];
            list = list[..list.IndexOf("];", StringComparison.Ordinal)];
            var shell = Regex.Matches(list, "'([^']+)'").Select(m => m.Groups[1].Value).ToHashSet();
            var expected = app.Keys.Where(k => k != "sw.js").Append("./").ToHashSet();
            Assert.True(shell.SetEquals(expected), $"sw.js caches [{string.Join(", ", shell.Order())}], the app is [{string.Join(", ", expected.Order())}]");

            var bad = Hinge("app", "export", "--out", Path.Combine(dir.Path, "index.html", "x"));
            Assert.Equal(2, bad.Code);
            Assert.Contains("hinge app export: cannot write ", bad.Err);
        }

        [SkippableFact]
        public async Task The_exported_app_on_a_plain_static_server_connects_over_Web_Bluetooth_and_reopens_offline()
        {
            IBrowser browser = _browser.Browser;
            if (!File.Exists("/usr/bin/python3"))
            {
                Assert.False(BrowserFixture.InCi, "HINGESENSOR_CI=1 but /usr/bin/python3 (the plain static server) is missing");
                Skip.If(true, "/usr/bin/python3 is not installed: the exported app's static server test skipped");
            }
            using var dir = new TempDir();
            Assert.Equal(0, Hinge("app", "export", "--out", dir.Path).Code);
            int port = LoopbackPorts.OutsideEphemeralRange();
            using Process server = StartStaticServer(dir.Path, port);
            string url = $"http://127.0.0.1:{port}/";
            try
            {
                await WaitServingAsync(url);
                using VirtualDeviceHost device = StartDevice();
                await using var bench = await WebBluetoothBench.StartAsync(browser, device);
                IPage page = bench.Page;
                var errors = new List<string>();
                page.Console += (_, m) =>
                {
                    // The app asks whether it was served by `hinge serve` (GET /api/att): here nothing answers that.
                    if (m.Type == "error" && !(m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal) && m.Location.Contains("/api/att", StringComparison.Ordinal)))
                        errors.Add($"{m.Text} ({m.Location})");
                };
                page.PageError += (_, e) => errors.Add(e);

                await page.GotoAsync(url);
                await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Connect to this dashboard's virtual device" })).ToBeHiddenAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Connect over Bluetooth" }).ClickAsync();
                await Expect(page.Locator("#link-state")).ToHaveAttributeAsync("data-state", "connected");
                await Expect(page.Locator("#link-state")).ToContainTextAsync("HingeSensor over Bluetooth · firmware 1.2.0");
                // Frames come through the emulated notifications into the shared live view.
                await page.WaitForFunctionAsync("() => hingeApp.live.stats.drawn > 30", null, new() { Timeout = 30000, PollingInterval = 20 });
                Assert.Equal(0, await page.EvaluateAsync<int>("() => hingeApp.client.health.malformedTotal"));
                await page.GetByRole(AriaRole.Link, new() { Name = "Device" }).ClickAsync();
                await Expect(page.Locator("#status-table")).ToContainTextAsync("sacrum sensor");
                await Expect(page.Locator("#battery")).ToContainTextAsync("%");
                _out.WriteLine($"Web Bluetooth: {bench.Sensor!.Delivered} notifications delivered, {bench.Sensor.Undelivered} undelivered");

                // Installed: the service worker controls the page. The server goes: a reload still opens the app.
                await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new() { Timeout = 30000, PollingInterval = 20 });
                server.Kill();
                server.WaitForExit();
                await page.ReloadAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connect" })).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Connect over Bluetooth" })).ToBeEnabledAsync();
                await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
                await Expect(page.Locator("#no-sessions")).ToBeVisibleAsync();
                Assert.True(errors.Count == 0, "the app reported errors:\n" + string.Join("\n", errors));
            }
            finally
            {
                if (!server.HasExited) server.Kill();
            }
        }

        private static Process StartStaticServer(string root, int port)
        {
            var start = new ProcessStartInfo("/usr/bin/python3", $"-m http.server {port} --bind 127.0.0.1 --directory {root}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            Process p = Process.Start(start)!;
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }

        private static async Task WaitServingAsync(string url)
        {
            using var http = new HttpClient();
            var sw = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using HttpResponseMessage r = await http.GetAsync(url + "index.html");
                    if (r.IsSuccessStatusCode) return;
                }
                catch (HttpRequestException) { }
                if (sw.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"the static server at {url} did not answer within 30 s");
                await Task.Delay(20);
            }
        }

        private static VirtualDeviceHost StartDevice()
        {
            var wearer = new Scenario
            {
                Name = "web-app",
                Sequence = new List<SequenceStep> { new() { Do = "stand", DurationS = 3600 } },
            };
            var device = new VirtualDeviceHost(wearer, 11, new FlashModel(), speed: 1);
            device.Start();
            return device;
        }
    }
}
