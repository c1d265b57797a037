using System;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// The status characteristic, notified and read, mutated from records our encoder wrote (the
    /// 32-byte record and its 19-byte short form). Goal: a record is taken only when it is one
    /// (version 1, at least the 19 essential bytes) and every field is read from its own place —
    /// encoding what was decoded gives back the bytes read (protocol §9.1: the charging byte read
    /// as yes/no, the reserved byte ignored, the counters only from a whole record); the client
    /// reports it or counts it malformed, and its read says it does not decode.
    /// </summary>
    public class StatusRecordFuzzCampaign
    {
        private readonly ITestOutputHelper _out;

        public StatusRecordFuzzCampaign(ITestOutputHelper output) => _out = output;

        private static byte[] Encoded(DeviceStatus s)
        {
            var b = new byte[DeviceStatus.EncodedLength];
            s.Encode(b, 0);
            return b;
        }

        private static byte[][] ValidRecords()
        {
            var busy = new DeviceStatus
            {
                BatteryPercent = 57, BatteryMillivolts = 3870, Charging = true, CalibrationFlags = 3, Capturing = 2, Recording = RecordingState.Recording, SessionId = 412,
                StorageUsedKb = 130, StorageTotalKb = 190, UndownloadedSessions = 3, Flags = DeviceStatus.FlagTimeSet | DeviceStatus.FlagStorageRecovered,
                UptimeS = 86_400, FifoOverflows = 2, LiveDropped = 17, LoopOverruns = 5, ControlLost = 1,
            };
            busy.Sensors[1] = SensorState.Retrying;
            byte[] idle = Encoded(new DeviceStatus { BatteryPercent = 100, BatteryMillivolts = 4200, StorageTotalKb = 190 });
            byte[] full = Encoded(busy);
            return new[] { idle, full, full[..DeviceStatus.EssentialLength] };
        }

        [Fact]
        public async Task Mutated_status_records_are_read_field_by_field_or_refused()
        {
            int cases = CampaignScale.Size(20_000, 400_000);
            byte[][] valid = ValidRecords();
            var mutator = new Mutator(8086);
            var tally = new FuzzTally("status-record", typeof(InvalidOperationException));
            var link = new FuzzLink();
            DeviceStatus? notified = null;
            link.Client.StatusReceived += s => notified = s;
            for (int i = 0; i < cases; i++)
            {
                Mutation m = mutator.Next(valid[i % valid.Length], i, valid[(i + 1) % valid.Length]);
                await tally.RunAsync(() => $"{mutator.Reproduce(i)}: {m.Description} → {Convert.ToHexString(m.Bytes)}", async () =>
                {
                    var s = new DeviceStatus();
                    bool taken = s.Decode(m.Bytes, 0, m.Bytes.Length);
                    notified = null;
                    long malformed = link.Client.Health.MalformedTotal;
                    link.Deliver(GattIds.Status, m.Bytes);
                    if (link.HandlerExceptions.Count > 0) throw new InvalidProgramException("the client's status handler threw: " + link.HandlerExceptions[0]);
                    link.Read = _ => m.Bytes;
                    DeviceStatus? read = null;
                    try { read = await link.Client.ReadStatusAsync(); }
                    catch (InvalidOperationException) when (!taken) { }
                    bool tooLong = m.Bytes.Length > link.Mtu - GattIds.AttNotifyOverhead; // dropped as oversized before it is read
                    if (!taken)
                    {
                        if (notified != null || read != null) return "the decoder refused it, the client took it";
                        return link.Client.Health.MalformedTotal == malformed + 1 ? null : "refused without being counted malformed";
                    }
                    if (read == null || (notified == null && !tooLong)) return "the decoder took it, the client did not";
                    return Within(s, m.Bytes);
                });
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        /// <summary>"" when the status decoded from <paramref name="read"/> is a record of §9.1 read from the right places.</summary>
        private static string Within(DeviceStatus s, byte[] read)
        {
            if (read.Length < DeviceStatus.EssentialLength || read[0] != DeviceStatus.Version) return $"taken: {read.Length} bytes, version {(read.Length > 0 ? read[0] : -1)}";
            byte[] again = Encoded(s);
            int n = read.Length >= DeviceStatus.EncodedLength ? DeviceStatus.EncodedLength - 1 : DeviceStatus.EssentialLength; // not the reserved byte
            for (int k = 0; k < n; k++)
            {
                byte expected = k == 4 ? (byte)(read[k] != 0 ? 1 : 0) : read[k];
                if (again[k] != expected) return $"byte {k} read as 0x{again[k]:x2}, it was 0x{read[k]:x2}";
            }
            return "";
        }
    }
}
