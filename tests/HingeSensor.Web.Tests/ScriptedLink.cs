using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Link;

namespace HingeSensor.Web.Tests
{
    /// <summary>A link whose notifications the test writes: live frames exactly as a device would send them.</summary>
    internal sealed class ScriptedLink : IDeviceLink
    {
        private int _sequence;

        public string Description => "scripted";
        public bool IsConnected => true;
        public int Mtu => 247;
        public event Action<string, byte[]>? NotificationReceived;

        // This link never drops.
        public event Action<string>? Disconnected { add { } remove { } }

        /// <summary>One live notification with one full frame.</summary>
        public void SendFrame(uint timeMs, int repCount)
        {
            var f = new LiveFrame { Sequence = _sequence++ & 0xFFFF, TimeMs = timeMs, ValidMask = 7, RepCount = repCount };
            var b = new byte[LivePacket.HeaderBytes + LivePacket.FullFrameBytes];
            int at = LivePacket.WriteHeader(b, 0, LivePacket.KindFull, 1);
            LivePacket.WriteFrame(b, at, LivePacket.KindFull, ref f);
            NotificationReceived?.Invoke(GattIds.Live, b);
        }

        /// <summary>A device that restarts begins its sequence again.</summary>
        public void Restart() => _sequence = 0;

        public Task ConnectAsync(CancellationToken ct) => Task.CompletedTask;
        public Task DisconnectAsync() => Task.CompletedTask;
        public Task<byte[]> ReadAsync(string uuid, CancellationToken ct) => throw new NotSupportedException();
        public Task WriteAsync(string uuid, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken ct) => throw new NotSupportedException();
        public Task SubscribeAsync(string uuid, CancellationToken ct) => Task.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
