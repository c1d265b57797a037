using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Link;

namespace HingeSensor.Host.Link.Virtual
{
    /// <summary>
    /// The virtual device in this process: the real firmware core on a simulated wearer, reached
    /// through the ATT link model (MTU, notification size, pacing, disconnects, pairing).
    ///
    /// Pairing: with <c>autoPair</c> (the default, what `--virtual` uses) a first connection that is
    /// not bonded pairs by itself, as if the wearer had held the button to open the pairing window
    /// and this computer's user had typed the passkey the motor plays: the core's own window, passkey
    /// and security gate do the work, and the bond lasts as long as the virtual device. Without it,
    /// an unpaired link stays unpaired and the device refuses what needs pairing.
    /// </summary>
    public sealed class VirtualDeviceLink : IDeviceLink
    {
        private readonly VirtualDeviceHost _host;
        private readonly int _requestedMtu;
        private readonly bool _autoPair;
        private bool _ownsHost;

        public VirtualDeviceLink(VirtualDeviceHost host, int requestedMtu = 247, bool ownsHost = false, bool autoPair = true)
        {
            _host = host;
            _requestedMtu = requestedMtu;
            _ownsHost = ownsHost;
            _autoPair = autoPair;
            Attach();
        }

        // The device's link talks to one host at a time: while the web app borrowed the device
        // (`hinge serve --virtual`'s /api/att), its notifications went there. Every connection
        // takes them back.
        private void Attach()
        {
            _host.Link.Notify = (uuid, value) => NotificationReceived?.Invoke(uuid, value);
            _host.Link.Dropped = reason => Disconnected?.Invoke(reason);
        }

        public VirtualDeviceHost Host => _host;
        public string Description => $"virtual device (in-process, {_host.Rig.Simulation.Scenario.Name}, ×{_host.Speed:0.#} time)";
        public bool IsConnected => _host.Link.IsConnected;
        public int Mtu => _host.Link.Mtu;

        public event Action<string, byte[]>? NotificationReceived;
        public event Action<string>? Disconnected;

        public async Task ConnectAsync(CancellationToken ct)
        {
            if (_host.Failure != null) throw new LinkUnavailableException("the virtual device has stopped: " + _host.Failure.Message, _host.Failure);
            while (!_host.Booted)
            {
                ct.ThrowIfCancellationRequested();
                await Task.Delay(5, ct);
            }
            Attach();
            _host.Link.Connect(_requestedMtu);
            if (_autoPair && !_host.Link.IsBonded) PairAsTheWearer();
        }

        private void PairAsTheWearer()
        {
            if (!_host.OpenPairingWindow(out int passkey, out string whyNot)) throw new LinkUnavailableException(whyNot);
            if (!_host.Link.Pair(passkey)) throw new LinkUnavailableException("pairing with the virtual device failed");
        }

        public Task DisconnectAsync()
        {
            _host.Link.Disconnect();
            return Task.CompletedTask;
        }

        public Task<byte[]> ReadAsync(string uuid, CancellationToken ct) => Guard(() => _host.Link.Read(uuid));

        public Task WriteAsync(string uuid, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken ct) =>
            Guard(() => { _host.Link.Write(uuid, value.ToArray(), withResponse); return true; });

        public Task SubscribeAsync(string uuid, CancellationToken ct) => Guard(() => { _host.Link.Subscribe(uuid, true); return true; });

        private static Task<T> Guard<T>(Func<T> op)
        {
            try
            {
                return Task.FromResult(op());
            }
            catch (InsufficientAuthenticationException e)
            {
                return Task.FromException<T>(new NotPairedException(PairingAdvice.NotPaired("the virtual device", "hinge pair"), e));
            }
            catch (InvalidOperationException e)
            {
                return Task.FromException<T>(e.Message == "not connected" ? new LinkLostException("not connected") : e);
            }
        }

        public ValueTask DisposeAsync()
        {
            _host.Link.Notify = null;
            _host.Link.Dropped = null;
            if (_ownsHost) _host.Dispose();
            _ownsHost = false;
            return ValueTask.CompletedTask;
        }
    }
}
