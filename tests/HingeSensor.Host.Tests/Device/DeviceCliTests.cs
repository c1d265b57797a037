using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;
using HingeSensor.TestSupport;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>The device commands as a user types them, against the virtual device (in-process, and `hinge virtual-device` on a loopback port).</summary>
    [StartsEarly(4)]
    public class DeviceCliTests
    {
        private static (int Code, string Out, string Err) Hinge(params string[] args) => CliTests.Hinge(args);

        [Fact]
        public void Config_set_is_validated_and_kept_by_the_virtual_device_across_commands()
        {
            using var dir = new TempDir();
            string db = dir.File("hinge.db");
            var set = Hinge("config", "set", "--virtual", "--db", db, "chin_drop_deg=18", "quiet=true");
            Assert.True(set.Code == 0, set.Err);
            var get = Hinge("config", "get", "--virtual", "--db", db, "--json");
            Assert.True(get.Code == 0, get.Err);
            using (JsonDocument c = JsonDocument.Parse(get.Out))
            {
                Assert.Equal("18", c.RootElement.GetProperty("chin_drop_deg").GetString());
                Assert.Equal("true", c.RootElement.GetProperty("quiet").GetString());
                Assert.Equal("20", c.RootElement.GetProperty("back_rounding_deg").GetString());
            }
            // Its flash lives beside the database given.
            Assert.True(Directory.Exists(dir.File("virtual-device")));

            var unknown = Hinge("config", "set", "--virtual", "--db", db, "chin=3");
            Assert.Equal(2, unknown.Code);
            Assert.Contains("unknown setting 'chin=3'", unknown.Err);
            var notNumber = Hinge("config", "set", "--virtual", "--db", db, "chin_drop_deg=steep");
            Assert.Equal(2, notNumber.Code);
            Assert.Contains("not a value for chin_drop_deg", notNumber.Err);
            // Refused by the device's limits: nothing changes, not even the valid half.
            var refused = Hinge("config", "set", "--virtual", "--db", db, "chin_drop_deg=12", "record_rate_hz=7");
            Assert.Equal(2, refused.Code);
            Assert.Contains("record_rate_hz=7 is not allowed", refused.Err);
            using JsonDocument after = JsonDocument.Parse(Hinge("config", "get", "--virtual", "--db", db, "--json").Out);
            Assert.Equal("18", after.RootElement.GetProperty("chin_drop_deg").GetString());
        }

        [Fact]
        public void Device_status_reports_sensors_calibration_and_storage_as_the_device_sees_them()
        {
            using var dir = new TempDir();
            string db = dir.File("hinge.db");
            // At real time, so that the status is read well within the device's first second.
            var before = Hinge("device", "status", "--virtual", "--db", db, "--speed", "1", "--json");
            Assert.True(before.Code == 0, before.Err);
            using (JsonDocument j = JsonDocument.Parse(before.Out))
            {
                // Read so soon after boot the sensors may still be coming up; never "not answering".
                foreach (string sensor in new[] { "head_sensor", "upper_back_sensor", "sacrum_sensor" })
                    Assert.Contains(j.RootElement.GetProperty(sensor).GetString(), new[] { "ok", "starting" });
                Assert.StartsWith("not calibrated", j.RootElement.GetProperty("calibration").GetString());
                Assert.Equal("idle", j.RootElement.GetProperty("recording").GetString());
                Assert.True(j.RootElement.GetProperty("storage_total_kb").GetInt32() > 100);
                Assert.InRange(j.RootElement.GetProperty("battery_percent").GetInt32(), 1, 100);
                Assert.Equal(0, j.RootElement.GetProperty("control_messages_lost").GetInt32());
                // The host set the device's clock on connecting.
                Assert.DoesNotContain("clock not set", j.RootElement.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
            }

            // Real time: the demo wearer stands still for 3 s from boot, and the 3 s capture must fit in it.
            var neutral = Hinge("calibrate", "neutral", "--virtual", "--db", db, "--speed", "1");
            Assert.True(neutral.Code == 0, neutral.Out + neutral.Err);
            var after = Hinge("device", "status", "--virtual", "--db", db);
            Assert.True(after.Code == 0, after.Err);
            Assert.Contains("neutral only", after.Out);
            Assert.Contains("upper-back sensor", after.Out);
            Assert.Contains("KiB used", after.Out);
        }

        [Fact]
        public void Live_shows_frames_and_counts_gaps_and_says_so_in_json()
        {
            using var dir = new TempDir();
            var live = Hinge("live", "--virtual", "--db", dir.File("hinge.db"), "--speed", "10", "--seconds", "4", "--json");
            Assert.True(live.Code == 0, live.Err);
            using JsonDocument j = JsonDocument.Parse(live.Out);
            Assert.True(j.RootElement.GetProperty("frames").GetInt64() >= 4 * new HingeSensor.Protocol.DeviceConfig().LiveRateHz - 5, live.Out);
            Assert.Equal(0, j.RootElement.GetProperty("gaps").GetInt64());
            Assert.Equal(0, j.RootElement.GetProperty("malformed").GetInt64());
            // For people (stderr with --json): the status line carries the link's health.
            Assert.Contains("frames/s", live.Err);
            Assert.Contains("gaps 0", live.Err);
        }

        /// <summary>`hinge device sessions --json` until the device lists a session that has recorded <paramref name="seconds"/> (the patience only bounds a failure).</summary>
        private static async Task WaitUntilRecordedAsync(string url, double seconds)
        {
            var patience = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                var list = Hinge("device", "sessions", "--device", url, "--json");
                Assert.True(list.Code == 0, list.Err);
                using JsonDocument l = JsonDocument.Parse(list.Out);
                if (l.RootElement.EnumerateArray().Any(s => s.GetProperty("duration_s").GetInt32() >= seconds)) return;
                Assert.True(patience.Elapsed < TimeSpan.FromMinutes(1), "the device recorded less than " + seconds + " s in a minute: " + list.Out);
                await Task.Delay(50);
            }
        }

        [Fact]
        public async Task Record_download_and_erase_over_a_virtual_device_on_a_loopback_port_store_the_session_once()
        {
            using var dir = new TempDir();
            // `hinge virtual-device` in this process: the same link over TCP as its process (the process itself: VirtualDeviceProcessTests).
            await using VirtualDeviceRun device = await VirtualDeviceRun.StartAsync(dir.File("flash"), speed: 10);
            string url = device.Url;
            string db = dir.File("hinge.db");
            var start = Hinge("record", "start", "--device", url, "--json");
            Assert.True(start.Code == 0, start.Err);
            Assert.Equal(1, Hinge("record", "start", "--device", url).Code); // already recording: refused, said so
            await WaitUntilRecordedAsync(url, seconds: 5);
            Assert.Equal(0, Hinge("record", "stop", "--device", url).Code);

            var list = Hinge("device", "sessions", "--device", url, "--json");
            using (JsonDocument l = JsonDocument.Parse(list.Out))
            {
                JsonElement s = Assert.Single(l.RootElement.EnumerateArray());
                Assert.True(s.GetProperty("closed").GetBoolean());
                Assert.False(s.GetProperty("downloaded").GetBoolean());
                Assert.True(s.GetProperty("start_unix_ms").GetInt64() > 1_700_000_000_000); // the host set the clock
            }
            Assert.Equal(1, Hinge("device", "erase", "1", "--device", url, "--db", db).Code); // not downloaded yet: refused

            var dl = Hinge("device", "download", "--device", url, "--db", db, "--json");
            Assert.True(dl.Code == 0, dl.Err);
            Assert.Equal(0, Hinge("device", "download", "--device", url, "--db", db).Code);
            var history = Hinge("history", "list", "--db", db, "--json");
            using (JsonDocument h = JsonDocument.Parse(history.Out))
                Assert.Single(h.RootElement.EnumerateArray());

            var erase = Hinge("device", "erase", "1", "--device", url, "--db", db); // names the stored content by its digest
            Assert.True(erase.Code == 0, erase.Err);
            using JsonDocument empty = JsonDocument.Parse(Hinge("device", "sessions", "--device", url, "--json").Out);
            Assert.Empty(empty.RootElement.EnumerateArray());
        }

        [Fact]
        public void Without_hardware_or_bluez_device_commands_say_what_to_do()
        {
            var r = Hinge("device", "sessions", "--device", "tcp://127.0.0.1:1");
            Assert.Equal(2, r.Code);
            Assert.Contains("no virtual device listening", r.Err);
            var scan = Hinge("scan", "--seconds", "0.1");
            if (scan.Code != 0) Assert.Contains("BlueZ", scan.Err); // this machine has no Bluetooth
        }
    }
}
