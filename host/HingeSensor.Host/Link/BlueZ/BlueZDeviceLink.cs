using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using Tmds.DBus.Protocol;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>
    /// A HingeSensor reached through BlueZ: Device1 for the connection and pairing, one
    /// GattCharacteristic1 object per characteristic for reads, writes and notifications. BlueZ does the
    /// ATT work (MTU exchange, discovery, CCCD writes, encryption); this class only drives it and
    /// reports what it sees.
    ///
    /// Pairing is not this class's business: it needs the wearer (who opens the device's pairing
    /// window) and the user (who types the passkey the device buzzes), which is what `hinge pair`
    /// (<see cref="BlueZPairing"/>) is for. A device BlueZ holds no bond with is refused before
    /// connecting, with <see cref="NotPairedException"/>; a bonded one is encrypted by BlueZ with
    /// the stored key as it connects.
    /// </summary>
    public sealed partial class BlueZDeviceLink : IDeviceLink
    {
        private readonly string _busAddress;
        private readonly string _deviceAddress;
        private readonly object _gate = new();
        private string? _adapterName;
        private BlueZBus? _bus;
        private IDisposable? _deviceWatch;
        private string? _devicePath;
        private IReadOnlyDictionary<string, CharacteristicInfo> _characteristics = new Dictionary<string, CharacteristicInfo>();
        private TaskCompletionSource<bool>? _servicesResolved;
        private bool _connected;
        private bool _disconnecting;

        /// <param name="deviceAddress">The device's Bluetooth address, "AA:BB:CC:DD:EE:FF".</param>
        /// <param name="adapterName">"hci0"; null = the first powered adapter.</param>
        /// <param name="busAddress">The system bus; null = DBUS_SYSTEM_BUS_ADDRESS, else the well-known socket.</param>
        public BlueZDeviceLink(string deviceAddress, string? adapterName = null, string? busAddress = null)
        {
            _deviceAddress = deviceAddress;
            _adapterName = adapterName;
            _busAddress = SystemBusAddress.Resolve(busAddress);
        }

        /// <summary>Limit for Device1.Connect and for BlueZ to resolve the services after it.</summary>
        public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

        /// <summary>Limit for every other call (reads, writes, StartNotify, object queries).</summary>
        public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

        public string Description => $"BlueZ {_adapterName ?? "(first adapter)"} → {_deviceAddress}";

        public string PairCommand => $"hinge pair --device {_deviceAddress}";

        public bool IsConnected
        {
            get { lock (_gate) { return _connected; } }
        }

        public int Mtu { get; private set; } = GattIds.MinimumMtu;

        /// <summary>
        /// Raised on the D-Bus receive loop, in the order BlueZ emitted them: handlers must not block, and
        /// an exception escaping a handler closes the D-Bus connection (reported through Disconnected).
        /// </summary>
        public event Action<string, byte[]>? NotificationReceived;

        public event Action<string>? Disconnected;

        public async Task ConnectAsync(CancellationToken ct)
        {
            if (IsConnected)
            {
                return;
            }
            string what = $"connecting to {_deviceAddress}";
            bool connectCalled = false;
            try
            {
                BlueZBus bus = await OpenBusAsync(ct).ConfigureAwait(false);
                ManagedObjects objects = await bus.GetManagedObjectsAsync(CallTimeout, ct).ConfigureAwait(false);
                AdapterInfo adapter = objects.RequireAdapter(_adapterName);
                _adapterName = adapter.Name;
                string devicePath = objects.FindDevice(_deviceAddress, adapter.Path)
                    ?? throw new LinkUnavailableException($"BlueZ does not know {_deviceAddress} on {adapter.Name}: scan for it first (is it switched on and advertising?)");
                await WatchDeviceAsync(bus, devicePath).ConfigureAwait(false);

                // The waiter exists before the state is read, so a ServicesResolved that lands between the
                // read and the wait is not lost.
                TaskCompletionSource<bool> resolved = new(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_gate)
                {
                    _servicesResolved = resolved;
                }
                Dictionary<string, VariantValue> device = await bus.GetAllAsync(devicePath, BlueZNames.Device, CallTimeout, ct).ConfigureAwait(false);
                // Without a bond the device answers nothing: say how to pair instead of connecting in vain.
                if (PropertyMap.Bool(device, "Paired") != true)
                {
                    string name = PropertyMap.String(device, "Name") ?? "HingeSensor";
                    throw new NotPairedException(PairingAdvice.NotPaired($"{name} {_deviceAddress}", PairCommand));
                }
                if (PropertyMap.Bool(device, "Connected") != true)
                {
                    connectCalled = true;
                    await IgnoringAsync(BlueZNames.AlreadyConnected,
                        bus.CallAsync(devicePath, BlueZNames.Device, "Connect", ConnectTimeout, ct)).ConfigureAwait(false);
                }
                if (PropertyMap.Bool(device, "ServicesResolved") != true)
                {
                    await WaitResolvedAsync(resolved.Task, ct).ConfigureAwait(false);
                }
                objects = await bus.GetManagedObjectsAsync(CallTimeout, ct).ConfigureAwait(false);
                IReadOnlyDictionary<string, CharacteristicInfo> characteristics = objects.Characteristics(devicePath);
                if (!characteristics.TryGetValue(GattIds.Control, out CharacteristicInfo? control))
                {
                    throw new LinkUnavailableException($"{_deviceAddress} has no HingeSensor control characteristic: is it a HingeSensor?");
                }
                Mtu = NegotiatedMtu(characteristics, control);
                lock (_gate)
                {
                    _devicePath = devicePath;
                    _characteristics = characteristics;
                    _servicesResolved = null;
                    _connected = true;
                }
            }
            catch (Exception e) when (BlueZErrors.IsTransportError(e))
            {
                await AbandonAsync(connectCalled).ConfigureAwait(false);
                throw BlueZErrors.ToLinkException(e, what, settingUp: true, _deviceAddress);
            }
            catch
            {
                await AbandonAsync(connectCalled).ConfigureAwait(false);
                throw;
            }
        }

        public async Task DisconnectAsync()
        {
            BlueZBus? bus;
            string? devicePath;
            lock (_gate)
            {
                _disconnecting = true;
                _connected = false;
                bus = _bus;
                devicePath = _devicePath;
            }
            try
            {
                DropSubscriptions();
                if (bus is not null && devicePath is not null)
                {
                    await bus.CallAsync(devicePath, BlueZNames.Device, "Disconnect", CallTimeout, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (BlueZErrors.IsTransportError(e))
            {
                // Already down (NotConnected, BlueZ gone, bus closed): that is what was asked for.
            }
            finally
            {
                lock (_gate)
                {
                    _disconnecting = false;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (IsConnected)
            {
                await DisconnectAsync().ConfigureAwait(false);
            }
            DropSubscriptions();
            lock (_gate)
            {
                _deviceWatch?.Dispose();
                _deviceWatch = null;
                _bus?.Dispose();
                _bus = null;
            }
        }

        /// <summary>One D-Bus connection for the life of the link; a new one if the last one closed.</summary>
        private async Task<BlueZBus> OpenBusAsync(CancellationToken ct)
        {
            lock (_gate)
            {
                if (_bus is not null && !_bus.Closed.IsCompleted)
                {
                    return _bus;
                }
                _bus?.Dispose();
                _bus = null;
                _deviceWatch = null;
            }
            BlueZBus bus = await BlueZBus.ConnectAsync(_busAddress, CallTimeout, ct).ConfigureAwait(false);
            lock (_gate)
            {
                _bus = bus;
            }
            _ = bus.Closed.ContinueWith(t => OnLinkDown($"lost the D-Bus connection to BlueZ ({t.Result?.Message ?? "closed"})"),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return bus;
        }

        private async Task WatchDeviceAsync(BlueZBus bus, string devicePath)
        {
            IDisposable? old;
            lock (_gate)
            {
                if (_deviceWatch is not null && _devicePath == devicePath)
                {
                    return;
                }
                old = _deviceWatch;
                _deviceWatch = null;
            }
            old?.Dispose();
            IDisposable watch = await bus.WatchPropertiesAsync(devicePath, pathNamespace: false, BlueZNames.Device, OnDeviceChanged).ConfigureAwait(false);
            lock (_gate)
            {
                _deviceWatch = watch;
                _devicePath = devicePath;
            }
        }

        /// <summary>Device1 PropertiesChanged: ServicesResolved ends the connect wait; Connected = false is the link going down.</summary>
        private void OnDeviceChanged(PropertiesChange change)
        {
            if (PropertyMap.Bool(change.Changed, "ServicesResolved") == true)
            {
                TaskCompletionSource<bool>? resolved;
                lock (_gate)
                {
                    resolved = _servicesResolved;
                }
                resolved?.TrySetResult(true);
            }
            if (PropertyMap.Bool(change.Changed, "Connected") == false)
            {
                OnLinkDown($"{_deviceAddress} disconnected (switched off, out of range, or dropped by BlueZ)");
            }
        }

        private void OnLinkDown(string reason)
        {
            TaskCompletionSource<bool>? resolving;
            bool wasUp;
            lock (_gate)
            {
                resolving = _servicesResolved;
                wasUp = _connected && !_disconnecting;
                _connected = false;
            }
            resolving?.TrySetException(new LinkUnavailableException($"connecting to {_deviceAddress}: {reason}"));
            if (wasUp)
            {
                DropSubscriptions();
                Disconnected?.Invoke(reason);
            }
        }

        private async Task WaitResolvedAsync(Task resolved, CancellationToken ct)
        {
            try
            {
                await resolved.WaitAsync(ConnectTimeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"BlueZ did not resolve the services within {ConnectTimeout.TotalSeconds:0.#} s");
            }
        }

        /// <summary>
        /// BlueZ ≥ 5.62 reports the exchanged ATT MTU on each characteristic; older versions don't, and
        /// then only the minimum is sure.
        /// </summary>
        private static int NegotiatedMtu(IReadOnlyDictionary<string, CharacteristicInfo> characteristics, CharacteristicInfo control)
        {
            if (control.Mtu is int mtu && mtu >= GattIds.MinimumMtu)
            {
                return mtu;
            }
            foreach (CharacteristicInfo characteristic in characteristics.Values)
            {
                if (characteristic.Mtu is int other && other >= GattIds.MinimumMtu)
                {
                    return other;
                }
            }
            return GattIds.MinimumMtu;
        }

        /// <summary>A failed connect leaves nothing half-open: no waiter, and no BlueZ connection we started.</summary>
        private async Task AbandonAsync(bool connectCalled)
        {
            BlueZBus? bus;
            string? devicePath;
            lock (_gate)
            {
                _servicesResolved = null;
                bus = _bus;
                devicePath = _devicePath;
            }
            if (!connectCalled || bus is null || devicePath is null)
            {
                return;
            }
            try
            {
                await bus.CallAsync(devicePath, BlueZNames.Device, "Disconnect", CallTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (BlueZErrors.IsTransportError(e))
            {
            }
        }

        private static async Task IgnoringAsync(string errorName, Task call)
        {
            try
            {
                await call.ConfigureAwait(false);
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == errorName)
            {
            }
        }
    }
}
