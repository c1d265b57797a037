using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using Tmds.DBus.Protocol;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>
    /// Finds HingeSensors through BlueZ on the system D-Bus: picks an adapter, runs an LE discovery
    /// filtered on our service UUID for the given time, and reports every Device1 that advertises the
    /// service or whose name starts with the prefix — the ones BlueZ already knew (paired, cached)
    /// and the ones discovery adds.
    /// </summary>
    public sealed class BlueZScanner : IDeviceScanner
    {
        private readonly string _busAddress;

        /// <param name="busAddress">
        /// The system bus; null = DBUS_SYSTEM_BUS_ADDRESS, else unix:path=/run/dbus/system_bus_socket.
        /// </param>
        public BlueZScanner(string? busAddress = null)
        {
            _busAddress = SystemBusAddress.Resolve(busAddress);
        }

        /// <summary>Devices whose Name or Alias starts with this count even if their advertisement lacks the UUID.</summary>
        public string NamePrefix { get; init; } = "HingeSensor";

        /// <summary>Use this adapter ("hci1") instead of the first powered one.</summary>
        public string? AdapterName { get; init; }

        /// <summary>How long to wait for BlueZ to answer one call.</summary>
        public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

        public async Task<IReadOnlyList<DeviceAdvertisement>> ScanAsync(TimeSpan duration, CancellationToken ct)
        {
            using BlueZBus bus = await BlueZBus.ConnectAsync(_busAddress, CallTimeout, ct).ConfigureAwait(false);
            AdapterInfo? adapter = null;
            // Merged Device1 properties by path: a snapshot first, then InterfacesAdded and PropertiesChanged
            // (BlueZ reports RSSI and late names as changes) until discovery stops.
            var devices = new Dictionary<string, Dictionary<string, VariantValue>>(StringComparer.Ordinal);
            bool discovering = false;
            try
            {
                ManagedObjects objects = await bus.GetManagedObjectsAsync(CallTimeout, ct).ConfigureAwait(false);
                adapter = objects.RequireAdapter(AdapterName);
                string adapterPath = adapter.Path;

                using IDisposable added = await bus.WatchInterfacesAddedAsync(signal =>
                {
                    if (ManagedObjects.IsBelow(signal.Path, adapterPath) && signal.Interfaces.TryGetValue(BlueZNames.Device, out var props))
                    {
                        Merge(devices, signal.Path, props, Array.Empty<string>());
                    }
                }).ConfigureAwait(false);
                using IDisposable changed = await bus.WatchPropertiesAsync(adapterPath, pathNamespace: true, BlueZNames.Device,
                    change => Merge(devices, change.Path, change.Changed, change.Invalidated)).ConfigureAwait(false);
                foreach (var (path, props) in objects.Devices(adapterPath))
                {
                    Merge(devices, path, props, Array.Empty<string>());
                }

                // The filter makes BlueZ scan LE only and pass on just the advertisers of our service.
                await bus.CallAsync(adapterPath, BlueZNames.Adapter, "SetDiscoveryFilter", new Dictionary<string, VariantValue>
                {
                    ["UUIDs"] = VariantValue.Array(new[] { GattIds.HingeService }),
                    ["Transport"] = "le",
                }, CallTimeout, ct).ConfigureAwait(false);
                try
                {
                    await bus.CallAsync(adapterPath, BlueZNames.Adapter, "StartDiscovery", CallTimeout, ct).ConfigureAwait(false);
                    discovering = true;
                }
                catch (DBusErrorReplyException e) when (e.ErrorName == BlueZNames.InProgress)
                {
                    // Someone else's discovery is running: it finds the same devices. Not ours to stop.
                }
                await Task.Delay(duration, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (BlueZErrors.IsTransportError(e))
            {
                throw BlueZErrors.ToLinkException(e, $"scanning with BlueZ {adapter?.Name}".TrimEnd(), settingUp: true);
            }
            finally
            {
                if (discovering && adapter is not null)
                {
                    await StopDiscoveryAsync(bus, adapter.Path).ConfigureAwait(false);
                }
            }
            return Matching(devices, adapter!.Name);
        }

        public IDeviceLink Open(DeviceAdvertisement device)
        {
            const string prefix = "BlueZ ";
            string? adapterName = device.Transport.StartsWith(prefix, StringComparison.Ordinal) ? device.Transport.Substring(prefix.Length) : AdapterName;
            return new BlueZDeviceLink(device.Address, adapterName, _busAddress) { CallTimeout = CallTimeout };
        }

        /// <summary>Stopping is tidying up: a failure here must not hide the scan's result or its real error.</summary>
        private async Task StopDiscoveryAsync(BlueZBus bus, string adapterPath)
        {
            try
            {
                await bus.CallAsync(adapterPath, BlueZNames.Adapter, "StopDiscovery", CallTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (BlueZErrors.IsTransportError(e))
            {
            }
        }

        private static void Merge(Dictionary<string, Dictionary<string, VariantValue>> devices, string path,
            IReadOnlyDictionary<string, VariantValue> changed, string[] invalidated)
        {
            lock (devices)
            {
                if (!devices.TryGetValue(path, out var props))
                {
                    devices[path] = props = new Dictionary<string, VariantValue>(StringComparer.Ordinal);
                }
                foreach (var (name, value) in changed)
                {
                    props[name] = value;
                }
                foreach (string name in invalidated)
                {
                    props.Remove(name);
                }
            }
        }

        private List<DeviceAdvertisement> Matching(Dictionary<string, Dictionary<string, VariantValue>> devices, string adapterName)
        {
            var found = new List<DeviceAdvertisement>();
            lock (devices)
            {
                foreach (var props in devices.Values)
                {
                    string? address = PropertyMap.String(props, "Address");
                    if (address is null || !IsHingeSensor(props))
                    {
                        continue;
                    }
                    string name = PropertyMap.String(props, "Name") ?? PropertyMap.String(props, "Alias") ?? address;
                    found.Add(new DeviceAdvertisement(name, address, PropertyMap.Int(props, "RSSI"), $"BlueZ {adapterName}"));
                }
            }
            // Nearest first; devices not heard during this scan (no RSSI) last.
            found.Sort((a, b) => (b.Rssi ?? int.MinValue).CompareTo(a.Rssi ?? int.MinValue));
            return found;
        }

        internal bool IsHingeSensor(IReadOnlyDictionary<string, VariantValue> device)
        {
            foreach (string uuid in PropertyMap.Strings(device, "UUIDs"))
            {
                if (string.Equals(uuid, GattIds.HingeService, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            return StartsWithPrefix(PropertyMap.String(device, "Name")) || StartsWithPrefix(PropertyMap.String(device, "Alias"));
        }

        private bool StartsWithPrefix(string? name) =>
            name is not null && NamePrefix.Length > 0 && name.StartsWith(NamePrefix, StringComparison.OrdinalIgnoreCase);
    }
}
