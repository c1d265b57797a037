using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;
using HingeSensor.Host.Web;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Web.Tests
{
    /// <summary>The server without a browser: the event stream, where it listens, what it refuses.</summary>
    [Collection("dashboard")]
    public class ServerTests
    {
        private static async Task<List<(string Event, JsonElement Data)>> ReadEventsAsync(StreamReader r, Func<List<(string Event, JsonElement Data)>, bool> enough, TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            var events = new List<(string, JsonElement)>();
            string? name = null;
            while (!enough(events))
            {
                string? line = await r.ReadLineAsync(cts.Token);
                if (line == null) break;
                if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && name != null) events.Add((name, JsonDocument.Parse(line[6..]).RootElement.Clone()));
            }
            return events;
        }

        [Fact]
        public async Task The_live_stream_sends_the_device_state_then_coalesced_frames_that_account_for_every_frame_and_link_health()
        {
            await using var dash = await TestDashboard.StartAsync("web/rounding", speed: 5);
            await dash.DeviceAsync();
            using var http = new HttpClient();
            using HttpResponseMessage response = await http.GetAsync(dash.Url + "/api/live", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var events = await ReadEventsAsync(reader, e => e.FindAll(x => x.Event == "frame").Count >= 20 && e.FindAll(x => x.Event == "link").Count >= 3, TimeSpan.FromSeconds(30));

            Assert.Equal("device", events[0].Event);
            Assert.Equal("connected", events[0].Data.GetProperty("state").GetString());
            Assert.Equal("HS1-VIRTUAL", events[0].Data.GetProperty("serial").GetString());
            var frames = events.FindAll(x => x.Event == "frame");
            Assert.True(frames.Count >= 20, $"only {frames.Count} frames in 15 s");
            int replaced = 0;
            for (int i = 1; i < frames.Count; i++)
            {
                JsonElement a = frames[i - 1].Data, b = frames[i].Data;
                // Between two messages this page got, the totals advanced exactly as the sequence did: every
                // frame is accounted for. A message stands for the frames since the previous one *sent*; when
                // this reader falls behind (a busy machine), a newer pose replaces an unsent one, so it may
                // have missed messages, never frames: n ≤ covered.
                long covered = b.GetProperty("total").GetInt64() - a.GetProperty("total").GetInt64();
                Assert.True(covered == (b.GetProperty("seq").GetInt32() - a.GetProperty("seq").GetInt32() + 65536) % 65536, $"frame {i}: {a.GetRawText()} then {b.GetRawText()}");
                Assert.InRange(b.GetProperty("n").GetInt64(), 1, covered);
                if (b.GetProperty("n").GetInt64() < covered) replaced++;
            }
            Assert.True(replaced < frames.Count / 2, $"{replaced} of {frames.Count} messages replaced: the stream is not keeping up with a reader that reads");
            foreach (string key in new[] { "t", "hinge", "torso", "trunk", "head", "gap", "phase", "faults", "fault", "valid", "reps" })
                Assert.True(frames[^1].Data.TryGetProperty(key, out _), key);
            // The first link report may include the second before the stream started; the next ones are full.
            // Between two reports the frames counted are the device's 25 per second of its own time (at ×5,
            // whatever the machine manages), and the rate reported covers at least a second of wall time
            // (and less than ten, which only bounds a failure): checks that hold on a busy machine, where ×5 may not.
            var links = events.FindAll(x => x.Event == "link");
            JsonElement previous = links[^2].Data, link = links[^1].Data;
            long counted = link.GetProperty("total").GetInt64() - previous.GetProperty("total").GetInt64();
            double deviceSeconds = link.GetProperty("deviceTimeS").GetDouble() - previous.GetProperty("deviceTimeS").GetDouble();
            Assert.True(deviceSeconds > 0, link.GetRawText());
            Assert.InRange(counted / deviceSeconds, 20, 30); // 25 frames per device second
            Assert.InRange(link.GetProperty("fps").GetDouble(), counted / 10.0, counted + 0.05);
            Assert.Contains("for calibration", link.GetProperty("wearer").GetString());
        }

        private static (Task<int> Run, StringWriter Out, StringWriter Err, CancellationTokenSource Stop) Serve(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            var stop = new CancellationTokenSource();
            var config = new InvocationConfiguration { Output = TextWriter.Synchronized(o), Error = TextWriter.Synchronized(e) };
            Task<int> run = Task.Run(() => HingeCli.Build().Parse(args).InvokeAsync(config, stop.Token));
            return (run, o, e, stop);
        }

        private static async Task<string?> WaitForLineAsync(StringWriter w, string start, Task<int> run)
        {
            for (int i = 0; i < 300 && !run.IsCompleted; i++)
            {
                foreach (string line in w.ToString().Split('\n'))
                    if (line.StartsWith(start, StringComparison.Ordinal)) return line;
                await Task.Delay(50);
            }
            return null;
        }

        [Fact]
        public async Task Serve_listens_on_127_0_0_1_unless_asked_otherwise()
        {
            using var dir = new TempDir();
            var (run, o, e, stop) = Serve("serve", "--db", Path.Combine(dir.Path, "hinge.db"));
            string? line = await WaitForLineAsync(o, "dashboard on ", run);
            if (line == null)
            {
                // Someone else has the default port: the refusal still names the loopback address it tried.
                Assert.Equal(2, await run);
                Assert.Contains("cannot listen on http://127.0.0.1:5180: the port is in use", e.ToString());
                return;
            }
            Assert.StartsWith("dashboard on http://127.0.0.1:5180 ", line);
            Assert.DoesNotContain("warning", e.ToString());
            using (var http = new HttpClient())
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("http://127.0.0.1:5180/sessions")).StatusCode);
            stop.Cancel();
            Assert.Equal(0, await run);
        }

        [Fact]
        public async Task Another_address_is_served_only_when_named_and_then_with_a_warning()
        {
            using var dir = new TempDir();
            var (run, o, e, stop) = Serve("serve", "--db", Path.Combine(dir.Path, "hinge.db"), "--urls", "http://0.0.0.0:0");
            string? line = await WaitForLineAsync(o, "dashboard on ", run);
            Assert.True(line != null, e.ToString());
            Assert.Contains("reachable from other machines: they need the login token", e.ToString());
            string? token = await WaitForLineAsync(o, "login token: ", run);
            Assert.Matches("^login token: [A-Za-z0-9_-]{43} ", token);
            stop.Cancel();
            Assert.Equal(0, await run);
        }

        [Fact]
        public async Task A_port_in_use_is_a_clear_error_with_exit_code_2()
        {
            var taken = new TcpListener(IPAddress.Loopback, 0);
            taken.Start();
            try
            {
                int port = ((IPEndPoint)taken.LocalEndpoint).Port;
                using var dir = new TempDir();
                var (run, _, e, _) = Serve("serve", "--db", Path.Combine(dir.Path, "hinge.db"), "--urls", $"http://127.0.0.1:{port}");
                Assert.Equal(2, await run);
                Assert.Contains($"hinge serve: cannot listen on http://127.0.0.1:{port}: the port is in use", e.ToString());
            }
            finally
            {
                taken.Stop();
            }
        }

        [Theory]
        [InlineData("https://127.0.0.1:5180", "https is not served")]
        [InlineData("http://127.0.0.1", "has no port")]
        [InlineData("http://127.0.0.1:5180/dash", "give only scheme, host and port")]
        [InlineData("ftp://127.0.0.1:21", "not an http:// address")]
        [InlineData("127.0.0.1:5180", "is not an address like")]
        public async Task Bad_addresses_are_refused_with_the_reason(string url, string reason)
        {
            var (run, _, e, _) = Serve("serve", "--urls", url);
            Assert.Equal(2, await run);
            Assert.Contains(reason, e.ToString());
        }

        [Fact]
        public async Task Auto_calibration_is_only_for_the_virtual_wearer()
        {
            var (run, _, e, _) = Serve("serve", "--auto-calibrate", "--urls", "http://127.0.0.1:0");
            Assert.Equal(2, await run);
            Assert.Contains("--auto-calibrate is for the virtual wearer", e.ToString());
        }

        [Fact]
        public async Task The_wearers_button_is_only_for_the_virtual_device()
        {
            var (run, _, e, _) = Serve("serve", "--hold-button-at", "5", "--urls", "http://127.0.0.1:0");
            Assert.Equal(2, await run);
            Assert.Contains("--hold-button-at is for the virtual wearer", e.ToString());
        }

        /// <summary>`hinge serve --virtual --hold-button-at`: the window opens at the scripted time and the passkey the motor buzzes is printed, as `hinge virtual-device` prints it.</summary>
        [Fact]
        public async Task The_virtual_wearer_holds_the_button_and_serve_prints_the_passkey_it_buzzes()
        {
            using var dir = new TempDir();
            var (run, o, e, stop) = Serve("serve", "--virtual", "--speed", "4", "--hold-button-at", "2", "--db", Path.Combine(dir.Path, "hinge.db"), "--urls", "http://127.0.0.1:0");
            try
            {
                Assert.NotNull(await WaitForLineAsync(o, "dashboard on ", run));
                string? line = null;
                for (int i = 0; i < 4 && line == null; i++) line = await WaitForLineAsync(o, HingeSensor.Host.Link.Virtual.PairingWatch.PasskeyLine, run);
                Assert.True(line != null, "no passkey printed; out: " + o + "; err: " + e);
                Assert.Matches(@"^pairing window open for 60 s: the motor buzzes the passkey [1-5] [1-5] [1-5] [1-5] [1-5] [1-5]\r?$", line);
            }
            finally
            {
                stop.Cancel();
            }
            Assert.Equal(0, await run);
        }

        [Fact]
        public async Task Device_actions_need_the_page_header_and_a_device_and_other_host_names_are_refused()
        {
            await using var dash = await TestDashboard.StartAsync();
            using var http = new HttpClient();
            HttpResponseMessage forged = await http.PostAsync(dash.Url + "/api/device/recording/start", null);
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

            var request = new HttpRequestMessage(HttpMethod.Post, dash.Url + "/api/device/calibrate/neutral");
            request.Headers.Add(DeviceEndpoints.ActionHeader, "1");
            HttpResponseMessage noDevice = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, noDevice.StatusCode);
            using (JsonDocument body = JsonDocument.Parse(await noDevice.Content.ReadAsStringAsync()))
            {
                Assert.False(body.RootElement.GetProperty("ok").GetBoolean());
                Assert.Contains("no device connected", body.RootElement.GetProperty("message").GetString());
            }

            var unknown = new HttpRequestMessage(HttpMethod.Post, dash.Url + "/api/device/calibrate/sideways");
            unknown.Headers.Add(DeviceEndpoints.ActionHeader, "1");
            Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(unknown)).StatusCode);

            var rebound = new HttpRequestMessage(HttpMethod.Get, dash.Url + "/sessions");
            rebound.Headers.Host = "attacker.example";
            Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(rebound)).StatusCode);
        }

        /// <summary>
        /// The frame messages after the one at <paramref name="index"/>. Not simply all of them: the
        /// stream sends state and log messages before a pending pose, so the last pose from before a
        /// power cut may arrive after the messages saying the link is lost.
        /// </summary>
        private static List<(string Event, JsonElement Data)> FramesAfter(List<(string Event, JsonElement Data)> events, int index) =>
            events.GetRange(index + 1, events.Count - index - 1).FindAll(x => x.Event == "frame");

        private static bool IsDevice(JsonElement d, string state) => d.GetProperty("state").GetString() == state;

        private static bool IsLog(JsonElement d, string start) => d.GetProperty("text").GetString()!.StartsWith(start, StringComparison.Ordinal);

        private static HttpRequestMessage Press(string url, string action)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/api/device/{action}");
            request.Headers.Add(DeviceEndpoints.ActionHeader, "1");
            return request;
        }

        /// <summary>
        /// `hinge virtual-device` (the CLI in this process): its flash in <paramref name="stateDir"/>, serving on
        /// 127.0.0.1:<paramref name="port"/> once that port is free again (a device switched off a moment ago
        /// lets go of it; ports from <see cref="LoopbackPorts.OutsideEphemeralRange"/> are handed to no one else meanwhile).
        /// </summary>
        private static async Task<(Task<int> Run, string Address, CancellationTokenSource PowerCut)> StartVirtualDeviceAsync(int port, string stateDir)
        {
            await LoopbackPorts.WaitUntilFreeAsync(port, TimeSpan.FromSeconds(30));
            var (run, o, e, powerCut) = Serve("virtual-device", "--listen", $"127.0.0.1:{port}", "--state-dir", stateDir, "--scenario", "web/rounding");
            string? listening = await WaitForLineAsync(o, "listening on tcp://", run);
            Assert.True(listening != null, e.ToString());
            return (run, listening!.Split(' ')[2], powerCut);
        }

        [Fact]
        public async Task A_device_switched_on_after_the_server_started_is_found_by_itself()
        {
            using var dir = new TempDir();
            // Free now, and handed to no other socket before the device takes it.
            int port = LoopbackPorts.OutsideEphemeralRange();
            Task<int>? device = null;
            CancellationTokenSource? powerCut = null;
            await using (TestDashboard dash = await TestDashboard.StartAsync(device: $"tcp://127.0.0.1:{port}"))
            {
                try
                {
                    using var http = new HttpClient();
                    using HttpResponseMessage response = await http.GetAsync(dash.Url + "/api/live", HttpCompletionOption.ResponseHeadersRead);
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                    var events = await ReadEventsAsync(reader, e => e.Exists(x => x.Event == "device" && IsDevice(x.Data, "absent")), TimeSpan.FromSeconds(15));
                    string reason = events.Find(x => x.Event == "device" && IsDevice(x.Data, "absent")).Data.GetProperty("reason").GetString()!;
                    Assert.StartsWith("no device connected: ", reason);
                    Assert.Contains("looking again", reason);
                    using (HttpResponseMessage refused = await http.SendAsync(Press(dash.Url, "recording/start")))
                        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

                    (device, _, powerCut) = await StartVirtualDeviceAsync(port, Path.Combine(dir.Path, "flash"));
                    events = await ReadEventsAsync(reader, e =>
                    {
                        int on = e.FindIndex(x => x.Event == "device" && IsDevice(x.Data, "connected"));
                        return on >= 0 && FramesAfter(e, on).Count >= 10;
                    }, TimeSpan.FromSeconds(60));
                    Assert.Equal("HS1-VIRTUAL", events.Find(x => x.Event == "device" && IsDevice(x.Data, "connected")).Data.GetProperty("serial").GetString());
                    await dash.DeviceAsync();
                    using (HttpResponseMessage start = await http.SendAsync(Press(dash.Url, "recording/start")))
                        Assert.True(start.StatusCode == HttpStatusCode.OK, await start.Content.ReadAsStringAsync());
                }
                finally
                {
                    powerCut?.Cancel();
                    if (device != null) await device;
                }
            }
        }

        [Fact]
        public async Task When_the_device_goes_away_the_pages_are_told_the_buttons_refuse_and_when_it_returns_it_is_reconnected()
        {
            using var dir = new TempDir();
            string flash = Path.Combine(dir.Path, "flash");
            // The device comes back at the same address: a port no other socket is handed while it is off.
            int port = LoopbackPorts.OutsideEphemeralRange();
            var (device, address, powerCut) = await StartVirtualDeviceAsync(port, flash);
            Task<int>? again = null;
            CancellationTokenSource? againCut = null;
            TestDashboard dash = await TestDashboard.StartAsync(device: address);
            bool disposed = false;
            try
            {
                await dash.DeviceAsync();
                using var http = new HttpClient();
                using HttpResponseMessage response = await http.GetAsync(dash.Url + "/api/live", HttpCompletionOption.ResponseHeadersRead);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                await ReadEventsAsync(reader, e => e.Exists(x => x.Event == "frame"), TimeSpan.FromSeconds(10));

                powerCut.Cancel();
                await device;
                var events = await ReadEventsAsync(reader, e => e.Exists(x => x.Event == "device" && IsDevice(x.Data, "lost"))
                    && e.Exists(x => x.Event == "log" && IsLog(x.Data, "link lost")), TimeSpan.FromSeconds(10));
                JsonElement lost = events.Find(x => x.Event == "device" && IsDevice(x.Data, "lost")).Data;
                Assert.StartsWith("link lost: ", lost.GetProperty("reason").GetString());
                Assert.Contains("reconnecting", lost.GetProperty("reason").GetString());
                JsonElement lostLog = events.Find(x => x.Event == "log" && IsLog(x.Data, "link lost")).Data;
                Assert.Equal("error", lostLog.GetProperty("level").GetString());

                using (HttpResponseMessage refused = await http.SendAsync(Press(dash.Url, "recording/start")))
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                    Assert.Contains("link lost", await refused.Content.ReadAsStringAsync());
                }

                // The device boots again from its flash, on the same port: the dashboard finds it by itself.
                (again, _, againCut) = await StartVirtualDeviceAsync(port, flash);
                events = await ReadEventsAsync(reader, e =>
                {
                    int back = e.FindIndex(x => x.Event == "device" && IsDevice(x.Data, "connected"));
                    return back >= 0 && e.Exists(x => x.Event == "log" && IsLog(x.Data, "reconnected")) && FramesAfter(e, back).Count >= 10;
                }, TimeSpan.FromSeconds(60));
                JsonElement connected = events.Find(x => x.Event == "device" && IsDevice(x.Data, "connected")).Data;
                Assert.Equal("", connected.GetProperty("reason").GetString());
                Assert.Equal("HS1-VIRTUAL", connected.GetProperty("serial").GetString());
                Assert.Equal("ok", events.Find(x => x.Event == "log" && IsLog(x.Data, "reconnected")).Data.GetProperty("level").GetString());
                var frames = FramesAfter(events, events.FindIndex(x => x.Event == "device" && IsDevice(x.Data, "connected")));
                // The stream is attached once: each message stands for no more frames than the sequence advanced
                // (twice as many would be one frame counted by two handlers).
                for (int i = 1; i < frames.Count; i++)
                {
                    JsonElement a = frames[i - 1].Data, b = frames[i].Data;
                    long covered = b.GetProperty("total").GetInt64() - a.GetProperty("total").GetInt64();
                    Assert.InRange(covered, 1, (b.GetProperty("seq").GetInt32() - a.GetProperty("seq").GetInt32() + 65536) % 65536);
                }

                // The buttons work again, and the device has its clock back: the session starts now, not in 1970.
                using (HttpResponseMessage start = await http.SendAsync(Press(dash.Url, "recording/start")))
                    Assert.True(start.StatusCode == HttpStatusCode.OK, await start.Content.ReadAsStringAsync());
                await ReadEventsAsync(reader, e => e.FindAll(x => x.Event == "frame").Count >= 20, TimeSpan.FromSeconds(30));
                using (HttpResponseMessage stop = await http.SendAsync(Press(dash.Url, "recording/stop")))
                    Assert.True(stop.StatusCode == HttpStatusCode.OK, await stop.Content.ReadAsStringAsync());
                using (HttpResponseMessage download = await http.SendAsync(Press(dash.Url, "download")))
                    Assert.True(download.StatusCode == HttpStatusCode.OK, await download.Content.ReadAsStringAsync());
                using (var db = new HingeSensor.Host.Storage.SessionDatabase(dash.DatabasePath))
                {
                    var stored = Assert.Single(db.ListSessions());
                    Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(stored.StartUnixMs), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
                }

                // Gone again, and the server stops while it is reconnecting: it stops, promptly.
                againCut.Cancel();
                await again;
                await ReadEventsAsync(reader, e => e.Exists(x => x.Event == "device" && IsDevice(x.Data, "lost")), TimeSpan.FromSeconds(10));
                Task stopping = dash.DisposeAsync().AsTask();
                disposed = true;
                Assert.True(await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(30))) == stopping, "the dashboard did not stop while reconnecting");
                await stopping;
            }
            finally
            {
                if (!disposed) await dash.DisposeAsync();
                againCut?.Cancel();
                if (again != null) await again;
            }
        }

        [Fact]
        public async Task A_page_that_stops_reading_costs_one_pose_and_a_bounded_queue()
        {
            await using var hub = new LiveHub(TimeSpan.FromMilliseconds(25));
            using LiveSubscriber sub = hub.Subscribe()!;
            for (int i = 0; i < 1000; i++) hub.PublishLog($"line {i}", "info");
            for (int i = 0; i < 1000; i++) sub.PostFrame($"frame {i}");

            // Queued messages first, then the one pose slot.
            var got = new List<string>();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            while (await sub.NextAsync(cts.Token) is string s)
            {
                got.Add(s);
                if (s.StartsWith("frame", StringComparison.Ordinal)) break;
            }
            Assert.Equal(LiveSubscriber.QueueLength + 1, got.Count);
            Assert.Contains("line 999", got[LiveSubscriber.QueueLength - 1]);
            Assert.Equal("frame 999", got[^1]);
            Assert.Equal(999, sub.ReplacedFrames);
        }
    }
}
