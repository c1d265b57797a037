using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link;
using HingeSensor.Protocol;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>
    /// The host's own decoding path, DeviceClient, fed notifications by hand: what it delivers and
    /// what it counts as malformed (and how) is the C# half of every notification vector — a
    /// malformed vector is one the host refused, a valid one one it took.
    /// </summary>
    internal sealed class HostProbe
    {
        /// <summary>
        /// Null when the host took the notification (delivered it), else how it counted it
        /// malformed. Each goes to a new client, as on a new connection: the live sequence a
        /// client remembers from one packet must not decide about the next.
        /// </summary>
        public MalformedKind? Push(string uuid, byte[] value)
        {
            var link = new ProbeLink();
            var client = new DeviceClient(link);
            MalformedKind? malformed = null;
            int delivered = 0;
            client.MalformedReceived += (kind, _) => malformed = kind;
            client.EventReceived += _ => delivered++;
            client.LiveFrameReceived += _ => delivered++;
            client.StatusReceived += _ => delivered++;
            link.Notify(uuid, value);
            if (malformed != null) return malformed;
            // SessionData outside a download is a straggler, ignored without a word: nothing to see delivered.
            if (delivered == 0 && uuid != GattIds.SessionData) throw new InvalidOperationException($"the host neither took nor refused {Convert.ToHexStringLower(value)} on {uuid}");
            return null;
        }

        /// <summary>The host's ListSessions over a device that answers every page request with <paramref name="page"/>: the entries, or its refusal.</summary>
        public IReadOnlyList<SessionEntry> ListWithPage(byte[] page)
        {
            var link = new ProbeLink { Answer = request => Cat(new byte[] { (byte)ControlMessage.Response, request[0], request[1], (byte)ResultCode.Success }, page) };
            return new DeviceClient(link).ListSessionsAsync().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }

        private static byte[] Cat(byte[] a, byte[] b)
        {
            var all = new byte[a.Length + b.Length];
            a.CopyTo(all, 0);
            b.CopyTo(all, a.Length);
            return all;
        }

        private sealed class ProbeLink : IDeviceLink
        {
            public Func<byte[], byte[]>? Answer;

            public string Description => "probe";
            public bool IsConnected => true;
            public int Mtu => 247;
            public event Action<string, byte[]>? NotificationReceived;
            public event Action<string>? Disconnected { add { } remove { } }

            public void Notify(string uuid, byte[] value) => NotificationReceived?.Invoke(uuid, value);

            public Task WriteAsync(string uuid, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken ct)
            {
                byte[] request = value.ToArray();
                if (Answer != null) Task.Run(() => Notify(GattIds.Control, Answer(request)), ct);
                return Task.CompletedTask;
            }

            public Task ConnectAsync(CancellationToken ct) => Task.CompletedTask;
            public Task DisconnectAsync() => Task.CompletedTask;
            public Task<byte[]> ReadAsync(string uuid, CancellationToken ct) => throw new NotSupportedException();
            public Task SubscribeAsync(string uuid, CancellationToken ct) => Task.CompletedTask;
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
