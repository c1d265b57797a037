using HingeSensor.TestSupport;
using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.VirtualDevice;
using Xunit;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>What a device refuses reaches people as a sentence in their own terms, never as enum names.</summary>
    public class DeviceWordsTests
    {
        private static (int Code, string Out, string Err) Hinge(params string[] args) => CliTests.Hinge(args);

        // Every identifier a result could leak through: result codes, requests, config fields, calibration steps.
        private static readonly string[] EnumNames = Enum.GetNames<ResultCode>().Concat(Enum.GetNames<Opcode>()).Concat(Enum.GetNames<ConfigField>())
            .Concat(Enum.GetNames<DeviceEvent>()).Where(n => n.Length > 6 && n != "Success" && n != "Identify").ToArray();

        private static void AssertWords(string text)
        {
            foreach (string name in EnumNames) Assert.DoesNotContain(name, text);
        }

        [Fact]
        public void Config_values_out_of_range_name_the_setting_the_value_and_what_is_allowed_and_change_nothing()
        {
            using var dir = new TempDir();
            string db = dir.File("hinge.db");
            var chin = Hinge("config", "set", "--virtual", "--db", db, "chin_drop_deg=500");
            Assert.Equal(2, chin.Code);
            Assert.Contains("hinge config set: chin_drop_deg=500 is not allowed: 5° to 90°", chin.Err);
            AssertWords(chin.Err);

            // 356 does not fit the height's byte on the wire: sent as it was, it arrived as 100 and was kept.
            var height = Hinge("config", "set", "--virtual", "--db", db, "height_cm=356");
            Assert.Equal(2, height.Code);
            Assert.Contains("height_cm=356 is not allowed: 100 cm to 250 cm", height.Err);

            string longName = new string('x', DeviceConfig.MaxNameBytes + 6);
            var name = Hinge("config", "set", "--virtual", "--db", db, "device_name=" + longName);
            Assert.Equal(2, name.Code);
            Assert.Contains($"device_name '{longName}' (26 characters) is not allowed: 1 to 20 printable ASCII characters", name.Err);

            // Several at once: each one said, none sent.
            var several = Hinge("config", "set", "--virtual", "--db", db, "record_rate_hz=7", "gate_close_deg=40", "quiet=true");
            Assert.Equal(2, several.Code);
            Assert.Contains("record_rate_hz=7 is not allowed: 1, 5, 25 Hz", several.Err);
            Assert.Contains("gate_close_deg=40 is not allowed: 0° up to below gate_open_deg (30°)", several.Err);
            Assert.Contains("nothing changed", several.Err);
            AssertWords(several.Err);

            using JsonDocument after = JsonDocument.Parse(Hinge("config", "get", "--virtual", "--db", db, "--json").Out);
            Assert.Equal("15", after.RootElement.GetProperty("chin_drop_deg").GetString());
            Assert.Equal("175", after.RootElement.GetProperty("height_cm").GetString());
            Assert.Equal("HingeSensor", after.RootElement.GetProperty("device_name").GetString());
            Assert.Equal("false", after.RootElement.GetProperty("quiet").GetString());
        }

        [Fact]
        public async Task What_the_device_refuses_itself_is_translated_and_an_over_long_name_is_refused_not_cut()
        {
            using var dir = new TempDir();
            using VirtualDeviceHost host = VirtualBench.StartDevice(dir.File("flash"), speed: 1);
            await using DeviceConnection d = await VirtualBench.ConnectAsync(host);
            // Past the host's check, straight to the device.
            DeviceConfig c = await d.Client.ReadConfigAsync();
            c.ChinDropTenthsDeg = 5000;
            var chin = await Assert.ThrowsAsync<DeviceRequestException>(() => d.Client.WriteConfigAsync(c));
            Assert.Equal("the device refused the settings: chin_drop_deg=500 is not allowed: 5° to 90°", chin.Message);

            c = await d.Client.ReadConfigAsync();
            c.DeviceName = new string('n', 25);
            var name = await Assert.ThrowsAsync<DeviceRequestException>(() => d.Client.WriteConfigAsync(c));
            Assert.Contains($"device_name '{new string('n', 25)}' (25 characters) is not allowed", name.Message);
            Assert.Equal("HingeSensor", (await d.Client.ReadConfigAsync()).DeviceName);
        }

        [Fact]
        public void Calibrating_the_range_first_is_a_sentence_and_exit_1_like_any_failed_calibration()
        {
            using var dir = new TempDir();
            var r = Hinge("calibrate", "range", "--virtual", "--db", dir.File("hinge.db"));
            Assert.Equal(1, r.Code);
            Assert.Contains("hinge calibrate range: the range comes after the neutral and the hinge: calibrate those first (`hinge calibrate neutral`, then `hinge calibrate hinge`)", r.Err);
            AssertWords(r.Err + r.Out);
            var json = Hinge("calibrate", "range", "--virtual", "--db", dir.File("hinge.db"), "--json");
            Assert.Equal(1, json.Code);
            using JsonDocument j = JsonDocument.Parse(json.Out);
            Assert.Equal("refused", j.RootElement.GetProperty("status").GetString());
        }

        [Fact]
        public void Device_command_refusals_are_sentences()
        {
            using var dir = new TempDir();
            string db = dir.File("hinge.db");
            var erase = Hinge("device", "erase", "9", "--virtual", "--db", db);
            Assert.Equal(1, erase.Code);
            Assert.Contains("hinge device erase: session 9 of HS1-VIRTUAL is not in", erase.Err); // erasing names the stored copy's digest
            var forced = Hinge("device", "erase", "9", "--force", "--virtual", "--db", db);
            Assert.Equal(1, forced.Code);
            Assert.Contains("hinge device erase: there is no session 9 on the device", forced.Err);
            var stop = Hinge("record", "stop", "--virtual", "--db", db);
            Assert.Equal(1, stop.Code);
            Assert.Contains("hinge record stop: the device is not recording", stop.Err);
            var stopJson = Hinge("record", "stop", "--virtual", "--db", db, "--json");
            using JsonDocument j = JsonDocument.Parse(stopJson.Out);
            Assert.Equal("invalid_state", j.RootElement.GetProperty("result").GetString());
            Assert.Equal("the device is not recording", j.RootElement.GetProperty("message").GetString());
            foreach (var r in new[] { erase, stop }) AssertWords(r.Err);
        }

        [Fact]
        public void Every_result_code_for_every_request_reads_as_a_sentence()
        {
            var config = new DeviceConfig { ChinDropTenthsDeg = 5000 };
            foreach (Opcode op in Enum.GetValues<Opcode>())
                foreach (ResultCode result in Enum.GetValues<ResultCode>().Append((ResultCode)99))
                    foreach (byte[]? answer in new[] { null, new byte[] { (byte)ConfigField.ChinDropDeg }, new byte[] { (byte)ConfigField.Flags }, new byte[] { 200 } })
                    {
                        string s = DeviceRefusal.Describe(op, result, new byte[] { 3, 0, 0, 0, 0, 0 }, answer, config);
                        Assert.False(string.IsNullOrWhiteSpace(s));
                        AssertWords(s);
                    }
        }
    }
}
