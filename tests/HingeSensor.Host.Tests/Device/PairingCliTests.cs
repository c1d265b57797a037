using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link;
using HingeSensor.Host.Link.Virtual;
using Xunit;
using HingeSensor.TestSupport;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>
    /// `hinge pair` as a user runs it, against `hinge virtual-device --unpaired`: the device refuses
    /// every command until its wearer opens the pairing window and the passkey the motor buzzes is
    /// typed; a wrong passkey uses the window up.
    /// </summary>
    [StartsEarly(2)]
    public class PairingCliTests
    {
        private static (int Code, string Out, string Err) Hinge(params string[] args) => CliTests.Hinge(args);

        private static async Task<(VirtualDeviceRun Device, string Url, string Passkey)> UnpairedDeviceWithWindowAsync(TempDir dir)
        {
            VirtualDeviceRun device = await VirtualDeviceRun.StartAsync(dir.File("flash"), 0, 6, "--unpaired", "--hold-button-at", "1");
            string url = device.Url;
            Assert.Contains("not paired with any host", device.Output);
            string said = await device.LineAsync("pairing window open for 60 s: the motor buzzes the passkey ");
            string passkey = said["pairing window open for 60 s: the motor buzzes the passkey ".Length..];
            return (device, url, passkey);
        }

        [Fact]
        public async Task A_device_refuses_this_computer_until_it_pairs_with_the_passkey_the_motor_buzzes()
        {
            using var dir = new TempDir();
            var (device, url, passkey) = await UnpairedDeviceWithWindowAsync(dir);
            await using (device)
            {
                Assert.Matches("^[1-5]( [1-5]){5}$", passkey);

                var refused = Hinge("device", "status", "--device", url);
                Assert.Equal(2, refused.Code);
                Assert.Contains($"the virtual device at {url} is not paired with this computer: open the pairing window on the device (hold its button for 4 s", refused.Err);
                Assert.Contains($"and run `hinge pair --device {url}`", refused.Err);

                var paired = Hinge("pair", "--device", url, "--passkey", passkey);
                Assert.True(paired.Code == 0, paired.Out + paired.Err);
                Assert.Contains("1. Open the pairing window on the device: hold its button for 4 s", paired.Out);
                Assert.Contains($"paired with the virtual device at {url}", paired.Out);
                await device.LineAsync("pairing window closed: paired");

                var status = Hinge("device", "status", "--device", url, "--json");
                Assert.True(status.Code == 0, status.Err);
                var again = Hinge("pair", "--device", url, "--passkey", "111111");
                Assert.Equal(0, again.Code);
                Assert.Contains("already paired", again.Out);
            }
        }

        [Fact]
        public async Task A_wrong_passkey_fails_and_uses_up_the_window()
        {
            using var dir = new TempDir();
            var (device, url, passkey) = await UnpairedDeviceWithWindowAsync(dir);
            await using (device)
            {
                string wrong = passkey.Replace(" ", "") == "111111" ? "222222" : "111111";
                var failed = Hinge("pair", "--device", url, "--passkey", wrong);
                Assert.Equal(1, failed.Code);
                Assert.Contains("the passkey did not match, or the pairing window had closed", failed.Err);
                Assert.Contains("one attempt per window", failed.Err);
                await device.LineAsync("pairing window closed without a pairing");

                var late = Hinge("pair", "--device", url, "--passkey", passkey);
                Assert.Equal(1, late.Code);
                Assert.Equal(2, Hinge("device", "status", "--device", url).Code);
            }
        }

        [Theory]
        [InlineData("31425", "not 5")]
        [InlineData("3142525", "not more")]
        [InlineData("314250", "0 cannot be a count")]
        [InlineData("314257", "7 cannot be a count")]
        [InlineData("31a252", "'a' is not a digit")]
        public void A_passkey_that_cannot_be_one_is_refused_saying_why(string passkey, string why)
        {
            var r = Hinge("pair", "--device", "tcp://127.0.0.1:9", "--passkey", passkey);
            Assert.Equal(2, r.Code);
            Assert.Contains(why, r.Err);
        }

        [Fact]
        public void Without_a_terminal_the_passkey_must_be_given()
        {
            var r = Hinge("pair", "--device", "tcp://127.0.0.1:9");
            Assert.Equal(2, r.Code);
            Assert.Contains("give it with --passkey", r.Err);
        }

        [Fact]
        public async Task The_control_points_refusal_reads_as_not_paired_too()
        {
            // A host whose bond the device no longer has: its requests come back InsufficientSecurity.
            using var dir = new TempDir();
            using var host = VirtualBench.StartDevice(dir.File("flash"), speed: 5);
            await using var link = new VirtualDeviceLink(host, autoPair: false);
            await using var client = new DeviceClient(link);
            await client.ConnectAsync(live: false, CancellationToken.None);
            var e = await Assert.ThrowsAsync<NotPairedException>(() => client.RequestAsync(Opcode.Identify));
            Assert.Equal("the device is not paired with this computer: open the pairing window on the device (hold its button for 4 s, until it buzzes three short and one long) and run `hinge pair`", e.Message);
            await Assert.ThrowsAsync<NotPairedException>(() => client.ReadStatusAsync());
        }
    }
}
