using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Client;
using HingeSensor.Host.Web;
using Xunit;

namespace HingeSensor.Web.Tests
{
    /// <summary>The rep count on the page: the wire's 8-bit counter unwrapped, and started again when the device restarted.</summary>
    public class LiveHubRepTests
    {
        private static async Task<long> RepsOnPageAsync(LiveSubscriber page, ScriptedLink link, uint timeMs, int repCount)
        {
            link.SendFrame(timeMs, repCount);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                string m = (await page.NextAsync(cts.Token))!;
                if (!m.StartsWith("event: frame", StringComparison.Ordinal)) continue;
                using JsonDocument d = JsonDocument.Parse(m.Split('\n')[1]["data: ".Length..]);
                if (d.RootElement.GetProperty("t").GetUInt32() == timeMs) return d.RootElement.GetProperty("reps").GetInt64();
            }
        }

        [Fact]
        public async Task A_count_past_255_keeps_going_and_a_restarted_device_counts_from_its_own_zero()
        {
            await using var hub = new LiveHub(TimeSpan.FromMilliseconds(10));
            using LiveSubscriber page = hub.Subscribe()!;
            var link = new ScriptedLink();
            await using var client = new DeviceClient(link);
            hub.Attach(client);

            Assert.Equal(200, await RepsOnPageAsync(page, link, 100_000, 200));
            Assert.Equal(259, await RepsOnPageAsync(page, link, 110_000, 3));   // 256 + 3: the counter wrapped

            // The link dropped and the device came back rebooted: its clock and its count start again.
            hub.Detach();
            link.Restart();
            await client.ConnectAsync(live: true, CancellationToken.None);
            hub.Attach(client);
            Assert.Equal(1, await RepsOnPageAsync(page, link, 2_000, 1));
            Assert.Equal(2, await RepsOnPageAsync(page, link, 4_000, 2));
        }
    }
}
