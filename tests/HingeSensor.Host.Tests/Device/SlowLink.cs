using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Link;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>A link whose every operation takes a fixed extra while: the host on a busy machine, without the luck of one.</summary>
    internal sealed class SlowLink : IDeviceLink
    {
        private readonly IDeviceLink _inner;
        private readonly TimeSpan _delay;

        public SlowLink(IDeviceLink inner, TimeSpan delay)
        {
            _inner = inner;
            _delay = delay;
            inner.NotificationReceived += (uuid, value) => NotificationReceived?.Invoke(uuid, value);
            inner.Disconnected += reason => Disconnected?.Invoke(reason);
        }

        public string Description => "slow " + _inner.Description;
        public bool IsConnected => _inner.IsConnected;
        public int Mtu => _inner.Mtu;
        public event Action<string, byte[]>? NotificationReceived;
        public event Action<string>? Disconnected;

        public async Task ConnectAsync(CancellationToken ct) { await Task.Delay(_delay, ct); await _inner.ConnectAsync(ct); }
        public Task DisconnectAsync() => _inner.DisconnectAsync();
        public async Task<byte[]> ReadAsync(string uuid, CancellationToken ct) { await Task.Delay(_delay, ct); return await _inner.ReadAsync(uuid, ct); }
        public async Task WriteAsync(string uuid, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken ct) { await Task.Delay(_delay, ct); await _inner.WriteAsync(uuid, value, withResponse, ct); }
        public async Task SubscribeAsync(string uuid, CancellationToken ct) { await Task.Delay(_delay, ct); await _inner.SubscribeAsync(uuid, ct); }
        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
