using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>Reads, writes and notifications: one GattCharacteristic1 call each.</summary>
    public sealed partial class BlueZDeviceLink
    {
        /// <summary>PropertiesChanged watches of the subscribed characteristics, by UUID.</summary>
        private readonly Dictionary<string, IDisposable> _subscriptions = new(StringComparer.Ordinal);

        public async Task<byte[]> ReadAsync(string characteristicUuid, CancellationToken ct)
        {
            (BlueZBus bus, CharacteristicInfo characteristic) = Require(characteristicUuid);
            try
            {
                return await bus.ReadValueAsync(characteristic.Path, CallTimeout, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (BlueZErrors.IsTransportError(e))
            {
                throw BlueZErrors.ToLinkException(e, $"reading {characteristicUuid}", settingUp: false, _deviceAddress);
            }
        }

        /// <summary>"request" = ATT Write Request (BlueZ answers after the device's response); "command" = Write Command.</summary>
        public async Task WriteAsync(string characteristicUuid, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken ct)
        {
            (BlueZBus bus, CharacteristicInfo characteristic) = Require(characteristicUuid);
            try
            {
                await bus.WriteValueAsync(characteristic.Path, value, withResponse ? "request" : "command", CallTimeout, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (BlueZErrors.IsTransportError(e))
            {
                throw BlueZErrors.ToLinkException(e, $"writing {characteristicUuid}", settingUp: false, _deviceAddress);
            }
        }

        /// <summary>
        /// Watches the characteristic's PropertiesChanged before StartNotify (BlueZ writes the CCCD then),
        /// so the first notifications, which can follow StartNotify's reply at once, are not missed.
        /// </summary>
        public async Task SubscribeAsync(string characteristicUuid, CancellationToken ct)
        {
            (BlueZBus bus, CharacteristicInfo characteristic) = Require(characteristicUuid);
            string uuid = characteristic.Uuid;
            lock (_gate)
            {
                if (_subscriptions.ContainsKey(uuid))
                {
                    return;
                }
            }
            IDisposable? watch = null;
            try
            {
                watch = await bus.WatchPropertiesAsync(characteristic.Path, pathNamespace: false, BlueZNames.GattCharacteristic,
                    change => OnCharacteristicChanged(characteristicUuid, change)).ConfigureAwait(false);
                await bus.CallAsync(characteristic.Path, BlueZNames.GattCharacteristic, "StartNotify", CallTimeout, ct).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_connected && _subscriptions.TryAdd(uuid, watch))
                    {
                        watch = null;
                    }
                }
            }
            catch (Exception e) when (BlueZErrors.IsTransportError(e))
            {
                throw BlueZErrors.ToLinkException(e, $"subscribing to {characteristicUuid}", settingUp: false, _deviceAddress);
            }
            finally
            {
                watch?.Dispose();
            }
        }

        /// <summary>A notification is BlueZ updating the cached "Value" (ay) property.</summary>
        private void OnCharacteristicChanged(string characteristicUuid, PropertiesChange change)
        {
            byte[]? value = PropertyMap.Bytes(change.Changed, "Value");
            if (value is not null && IsConnected)
            {
                NotificationReceived?.Invoke(characteristicUuid, value);
            }
        }

        /// <summary>Subscriptions end with the connection (the interface asks callers to subscribe again).</summary>
        private void DropSubscriptions()
        {
            List<IDisposable> watches;
            lock (_gate)
            {
                watches = new List<IDisposable>(_subscriptions.Values);
                _subscriptions.Clear();
            }
            foreach (IDisposable watch in watches)
            {
                watch.Dispose();
            }
        }

        private (BlueZBus Bus, CharacteristicInfo Characteristic) Require(string characteristicUuid)
        {
            lock (_gate)
            {
                if (!_connected || _bus is null)
                {
                    throw new LinkLostException($"{_deviceAddress} is not connected");
                }
                if (!_characteristics.TryGetValue(characteristicUuid.ToLowerInvariant(), out CharacteristicInfo? characteristic))
                {
                    throw new LinkUnavailableException($"{_deviceAddress} has no characteristic {characteristicUuid} (older firmware?)");
                }
                return (_bus, characteristic);
            }
        }
    }
}
