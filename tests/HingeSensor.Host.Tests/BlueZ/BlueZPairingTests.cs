using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Link;
using HingeSensor.Host.Link.BlueZ;
using Xunit;

namespace HingeSensor.Host.Tests.BlueZ
{
    /// <summary>
    /// `hinge pair`'s BlueZ side against <see cref="FakeBlueZ"/>: the agent it registers, the passkey
    /// BlueZ asks it for, and what each way a pairing ends looks like.
    /// </summary>
    public sealed class BlueZPairingTests
    {
        private static readonly TimeSpan Short = TimeSpan.FromSeconds(3);

        [SkippableFact]
        public async Task Pairing_registers_an_agent_answers_the_passkey_with_what_the_user_typed_and_trusts_the_device()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address, new FakeBlueZOptions { Paired = false });
            fake.WindowPasskey = 314252; // the wearer opened the window; the motor buzzes 3 1 4 2 5 2

            PairingResult result = await Pairing(bus).PairAsync(FakeBlueZ.DeviceAddress, null, _ => Task.FromResult(314252u), Timeout());

            Assert.Equal(PairingResult.Paired, result);
            Assert.True(fake.IsPaired);
            Assert.True(fake.IsTrusted);
            Assert.Equal(new[] { 314252u }, fake.AgentPasskeys.ToArray());
            string[] calls = fake.Calls.Select(c => c.Split(' ')[0]).ToArray();
            Assert.Equal(new[] { "org.bluez.AgentManager1.RegisterAgent", "org.bluez.AgentManager1.RequestDefaultAgent" }, calls[..2]);
            Assert.True(Array.IndexOf(calls, "org.bluez.Device1.Pair") < Array.IndexOf(calls, "org.bluez.AgentManager1.UnregisterAgent"));
            Assert.Empty(fake.Agents); // unregistered again

            // The link that refused before now connects.
            await using var link = new BlueZDeviceLink(FakeBlueZ.DeviceAddress, "hci0", bus.Address) { ConnectTimeout = Short, CallTimeout = Short };
            await link.ConnectAsync(Timeout());
            Assert.True(link.IsConnected);
        }

        [SkippableFact]
        public async Task A_miscounted_passkey_fails_says_to_open_the_window_again_and_leaves_nothing_paired()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address, new FakeBlueZOptions { Paired = false });
            fake.WindowPasskey = 314252;

            var e = await Assert.ThrowsAsync<PairingFailedException>(
                () => Pairing(bus).PairAsync(FakeBlueZ.DeviceAddress, null, _ => Task.FromResult(314253u), Timeout()));

            Assert.Contains("pairing with AA:BB:CC:DD:EE:FF failed (Authentication Failed, org.bluez.Error.AuthenticationFailed)", e.Message);
            Assert.Contains("the passkey did not match, or the pairing window had closed", e.Message);
            Assert.Contains("open it again (hold its button for 4 s", e.Message);
            Assert.False(fake.IsPaired);
            Assert.Empty(fake.Agents);
        }

        [SkippableFact]
        public async Task Without_a_window_open_on_the_device_the_pairing_times_out_and_fails()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address, new FakeBlueZOptions { Paired = false });

            var e = await Assert.ThrowsAsync<PairingFailedException>(
                () => Pairing(bus).PairAsync(FakeBlueZ.DeviceAddress, null, _ => Task.FromResult(314252u), Timeout()));

            Assert.Contains("org.bluez.Error.AuthenticationTimeout", e.Message);
            Assert.False(fake.IsPaired);
        }

        [SkippableFact]
        public async Task A_device_already_paired_is_left_alone()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);

            PairingResult result = await Pairing(bus).PairAsync(FakeBlueZ.DeviceAddress, null, _ => throw new InvalidOperationException("not asked"), Timeout());

            Assert.Equal(PairingResult.AlreadyPaired, result);
            Assert.DoesNotContain(fake.Calls, c => c.StartsWith("org.bluez.Device1.Pair ", StringComparison.Ordinal));
        }

        [SkippableFact]
        public async Task A_device_bluez_has_not_seen_yet_is_looked_for_first()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address, new FakeBlueZOptions { Paired = false, DeviceKnown = false });
            fake.WindowPasskey = 111111;

            PairingResult result = await Pairing(bus).PairAsync(FakeBlueZ.DeviceAddress, null, _ => Task.FromResult(111111u), Timeout());

            Assert.Equal(PairingResult.Paired, result);
            Assert.Contains(fake.Calls, c => c.StartsWith("org.bluez.Adapter1.StartDiscovery ", StringComparison.Ordinal));
        }

        [SkippableFact]
        public async Task The_agent_refuses_every_question_but_the_passkey()
        {
            using var bus = StartBus();
            var agent = new PairingAgent(_ => Task.FromResult(1u));
            using var connection = new Tmds.DBus.Protocol.DBusConnection(bus.Address);
            await connection.ConnectAsync();
            connection.AddMethodHandler(agent);
            using var client = new Tmds.DBus.Protocol.DBusConnection(bus.Address);
            await client.ConnectAsync();
            foreach (string member in new[] { "RequestConfirmation", "RequestAuthorization" })
            {
                var e = await Assert.ThrowsAsync<Tmds.DBus.Protocol.DBusErrorReplyException>(() => Call(client, connection.UniqueName!, member));
                Assert.Equal("org.bluez.Error.Rejected", e.ErrorName);
            }
        }

        private static Task Call(Tmds.DBus.Protocol.DBusConnection client, string destination, string member)
        {
            Tmds.DBus.Protocol.MessageWriter w = client.GetMessageWriter();
            try
            {
                bool confirm = member == "RequestConfirmation";
                w.WriteMethodCallHeader(destination: destination, path: PairingAgent.ObjectPath, @interface: "org.bluez.Agent1", member: member, signature: confirm ? "ou" : "o");
                w.WriteObjectPath(FakeBlueZ.DevicePath);
                if (confirm) w.WriteUInt32(123456);
                return client.CallMethodAsync(w.CreateMessage());
            }
            finally
            {
                w.Dispose();
            }
        }

        private static BlueZPairing Pairing(PrivateBus bus) => new(bus.Address) { CallTimeout = Short, PairTimeout = Short, ScanTime = TimeSpan.FromMilliseconds(200) };

        private static PrivateBus StartBus()
        {
            PrivateBus.SkipIfUnavailable();
            return new PrivateBus();
        }

        private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
    }
}
