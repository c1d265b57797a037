using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Link;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>
    /// A link between the client and a real one that can rewrite, drop or add notifications — what
    /// a buggy stack, a confused peer or a replay would deliver.
    /// </summary>
    internal sealed class TamperingLink : IDeviceLink
    {
        private readonly IDeviceLink _inner;

        public TamperingLink(IDeviceLink inner)
        {
            _inner = inner;
            inner.NotificationReceived += (uuid, value) =>
            {
                var tamper = Tamper;
                IEnumerable<byte[]> deliver = tamper == null ? new[] { value } : tamper(uuid, value);
                foreach (byte[] v in deliver) NotificationReceived?.Invoke(uuid, v);
            };
            inner.Disconnected += reason => Disconnected?.Invoke(reason);
        }

        /// <summary>Given a notification, what the client receives instead (none, it, changed, several).</summary>
        public Func<string, byte[], IEnumerable<byte[]>>? Tamper { get; set; }

        /// <summary>Sees every write the client makes (requests), before it goes out.</summary>
        public Action<string, byte[]>? OnWrite { get; set; }

        /// <summary>Sees every write once the link below has taken it (the request is on its way to the device).</summary>
        public Action<string, byte[]>? AfterWrite { get; set; }

        /// <summary>Delivers a notification the device never sent.</summary>
        public void Inject(string uuid, byte[] value) => NotificationReceived?.Invoke(uuid, value);

        public string Description => "tampered " + _inner.Description;
        public bool IsConnected => _inner.IsConnected;
        public int Mtu => _inner.Mtu;
        public event Action<string, byte[]>? NotificationReceived;
        public event Action<string>? Disconnected;
        public Task ConnectAsync(CancellationToken ct) => _inner.ConnectAsync(ct);
        public Task DisconnectAsync() => _inner.DisconnectAsync();
        public Task<byte[]> ReadAsync(string uuid, CancellationToken ct) => _inner.ReadAsync(uuid, ct);
        public async Task WriteAsync(string uuid, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken ct)
        {
            OnWrite?.Invoke(uuid, value.ToArray());
            await _inner.WriteAsync(uuid, value, withResponse, ct);
            AfterWrite?.Invoke(uuid, value.ToArray());
        }
        public Task SubscribeAsync(string uuid, CancellationToken ct) => _inner.SubscribeAsync(uuid, ct);
        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
