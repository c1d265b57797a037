using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// The config characteristic as the host reads it, mutated from records our encoder wrote.
    /// Goal: DeviceConfig.Decode answers a field (and leaves the config it fills untouched) or
    /// gives a config within protocol §9.2 that encodes back to the very bytes read; the client's
    /// ReadConfigAsync gives that config or says the record does not decode — nothing else.
    /// </summary>
    public class ConfigRecordFuzzCampaign
    {
        private readonly ITestOutputHelper _out;

        public ConfigRecordFuzzCampaign(ITestOutputHelper output) => _out = output;

        internal static byte[] Encoded(DeviceConfig c)
        {
            var b = new byte[DeviceConfig.MaxEncodedLength];
            return b[..c.Encode(b, 0)];
        }

        private static readonly byte[][] Valid =
        {
            Encoded(new DeviceConfig()),
            Encoded(new DeviceConfig { Flags = 7, BackRoundingTenthsDeg = 50, BackRoundingPercent = 100, GateOpenTenthsDeg = 1200, GateCloseTenthsDeg = 0, DeviceName = "A" }),
            Encoded(new DeviceConfig { HysteresisTenthsDeg = 200, ReminderTenthsS = 0, CooldownTenthsS = 600, HapticIntensityPercent = 0, RecordRateHz = 1, LiveRateHz = 5, HeightCm = 100, DeviceName = "Twenty chars, exact!" }),
        };

        [Fact]
        public async Task Mutated_config_records_decode_within_the_protocol_or_are_refused_by_field()
        {
            int cases = CampaignScale.Size(20_000, 400_000);
            var mutator = new Mutator(5150);
            var tally = new FuzzTally("config-record", typeof(InvalidOperationException));
            var link = new FuzzLink();
            for (int i = 0; i < cases; i++)
            {
                Mutation m = mutator.Next(Valid[i % Valid.Length], i, Valid[(i + 1) % Valid.Length]);
                await tally.RunAsync(() => $"{mutator.Reproduce(i)}: {m.Description} → {Convert.ToHexString(m.Bytes)}", async () =>
                {
                    var into = new DeviceConfig { DeviceName = "Untouched" };
                    ConfigField bad = DeviceConfig.Decode(m.Bytes, 0, m.Bytes.Length, into);
                    // The client reads it as `hinge config get` does.
                    link.Read = _ => m.Bytes;
                    DeviceConfig? read = null;
                    try { read = await link.Client.ReadConfigAsync(); }
                    catch (InvalidOperationException) when (bad != ConfigField.None) { }
                    if (bad != ConfigField.None)
                    {
                        if (read != null) return $"the decoder refused it ({bad}), the client took it";
                        bool untouched = Encoded(into).AsSpan().SequenceEqual(Encoded(new DeviceConfig { DeviceName = "Untouched" }));
                        return untouched ? null : $"refused ({bad}), but the config it fills was changed";
                    }
                    string direct = Within(into, m.Bytes);
                    return direct.Length > 0 ? direct : Within(read!, m.Bytes);
                });
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        private static string Within(DeviceConfig c, byte[] read) =>
            ConfigRecordLimits.Violation(read) ?? (Encoded(c).AsSpan().SequenceEqual(read) ? "" : "decoded, but encodes to other bytes");
    }
}
