using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link;
using HingeSensor.Host.Storage;
using HingeSensor.Host.Tests.Device;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// The link drops at random points — mid-stream, on an answer, on DownloadDone, between a
    /// mark and an erase — a thousand times while `hinge device download --erase` brings three
    /// sessions home and the user runs it again after each drop it does not ride out. Goal: no
    /// session lost, each stored once, byte for byte, and erased only once stored.
    /// </summary>
    [StartsEarly(3)]
    public class DisconnectCampaign
    {
        private readonly ITestOutputHelper _out;

        public DisconnectCampaign(ITestOutputHelper output) => _out = output;

        [Fact]
        public async Task A_thousand_disconnects_during_downloads_lose_nothing_and_store_each_session_once()
        {
            int drops = CampaignScale.Size(1_000, 10_000);
            using var dir = new TempDir();
            string flash = dir.File("flash");
            var sessions = new[] { 40, 90, 25 }.Select((seconds, i) => SessionChainTests.RecordInto(flash, entropySeed: 10 + i, seconds)).ToArray();
            using VirtualDeviceHost host = VirtualBench.StartDevice(flash, speed: 0);
            await using DeviceConnection d = await VirtualBench.ConnectAsync(host, mtu: 185);
            var rng = new Random(1618);
            int armed = 0;
            Func<CancellationToken, Task> reconnect = d.Client.Reconnect!;
            void Arm()
            {
                if (armed >= drops) return;
                armed++;
                host.Link.DropAfter(rng.Next(0, 8));
            }
            d.Client.Reconnect = async ct =>
            {
                await reconnect(ct);
                Arm();
            };
            Arm();
            using var db = new SessionDatabase(dir.File("hinge.db"));
            int reruns = 0, crashes = 0;
            string? firstCrash = null;
            var outcomes = new List<SyncedSession>();
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(CampaignScale.Long ? 30 : 5));
            while (true)
            {
                try
                {
                    if (!d.Client.Link.IsConnected) await d.Client.Reconnect!(patience.Token);
                    outcomes.AddRange(await SessionSync.SyncAsync(d, db, erase: true, ct: patience.Token));
                    if (armed >= drops && (await d.Client.ListSessionsAsync()).Count == 0) break;
                }
                catch (LinkLostException) { reruns++; } // the user runs it again
                catch (TimeoutException) { reruns++; }  // an answer lost in a drop
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    crashes++;
                    firstCrash ??= e.ToString();
                    if (crashes > 10) break;
                }
            }
            var stored = db.ListSessions();
            int lost = sessions.Count(s => !stored.Any(x => db.RawSession(x.Id)!.AsSpan().SequenceEqual(s)));
            _out.WriteLine($"disconnects ({CampaignScale.Name}): {armed} drops armed, {d.Client.Health.Disconnects} disconnects seen, {reruns} reruns of the download; " +
                           $"{crashes} crashes, {lost} sessions lost, {stored.Count} stored for {sessions.Length} recorded, {outcomes.Count(o => o.Outcome == SyncOutcome.Failed)} downloads failed");
            Assert.True(crashes == 0, firstCrash);
            Assert.Equal(0, lost);
            Assert.Equal(sessions.Length, stored.Count); // once each
            Assert.True(d.Client.Health.Disconnects >= drops * 9 / 10, $"only {d.Client.Health.Disconnects} disconnects happened");
        }
    }
}
