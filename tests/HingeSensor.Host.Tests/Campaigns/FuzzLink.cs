using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// A device link the fuzz campaigns speak for: what a read returns, what a control write is
    /// answered with, and any notification, delivered on the caller's thread as a link would.
    /// With it, a <see cref="DeviceClient"/> that must never let a device's bytes throw is watched:
    /// a handler that threw is what the client's safety net reports (Inconsistent, "UUID: message").
    /// </summary>
    internal sealed class FuzzLink : IDeviceLink
    {
        private static readonly string[] Characteristics = { GattIds.Live, GattIds.Control, GattIds.Config, GattIds.Status, GattIds.SessionData };

        public FuzzLink(int mtu = 247)
        {
            Mtu = mtu;
            Client = new DeviceClient(this);
            Client.MalformedReceived += (kind, where) =>
            {
                if (kind != MalformedKind.Inconsistent) return;
                foreach (string c in Characteristics)
                    if (where.StartsWith(c + ": ", StringComparison.OrdinalIgnoreCase)) HandlerExceptions.Add(where);
            };
        }

        public DeviceClient Client { get; }

        /// <summary>Exceptions the client's handlers threw on a notification and its safety net caught (each a crash of a decoder).</summary>
        public List<string> HandlerExceptions { get; } = new();

        /// <summary>What a read of a characteristic returns.</summary>
        public Func<string, byte[]> Read { get; set; } = _ => Array.Empty<byte>();

        /// <summary>The notifications (characteristic, value) a request (opcode, id, parameters) is answered with.</summary>
        public Func<byte[], IEnumerable<(string Uuid, byte[] Value)>> Answer { get; set; } = _ => Array.Empty<(string, byte[])>();

        public void Deliver(string uuid, byte[] value) => NotificationReceived?.Invoke(uuid, value);

        public string Description => "fuzz";
        public bool IsConnected => true;
        public int Mtu { get; }
        public event Action<string, byte[]>? NotificationReceived;

        // This link never drops.
        public event Action<string>? Disconnected { add { } remove { } }

        public Task ConnectAsync(CancellationToken ct) => Task.CompletedTask;
        public Task DisconnectAsync() => Task.CompletedTask;
        public Task<byte[]> ReadAsync(string uuid, CancellationToken ct) => Task.FromResult(Read(uuid));

        public Task WriteAsync(string uuid, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken ct)
        {
            foreach (var (target, n) in Answer(value.ToArray())) Deliver(target, n);
            return Task.CompletedTask;
        }

        public Task SubscribeAsync(string uuid, CancellationToken ct) => Task.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
