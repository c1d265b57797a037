using System;
using HingeSensor.Nano.Core.Ble;
using nanoFramework.Device.Bluetooth.Security;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// NimBLE's bond store through nanoFramework's DeviceBonding: Count is
    /// ble_store_util_count(PEER_SEC), Clear is ble_store_clear() (every bond, key and stored CCCD).
    /// Both need the BLE stack running; before that (or if it failed) the count is unknown, which
    /// the pairing rules read as full.
    /// </summary>
    public sealed class NimBleBonds : IBondStore
    {
        public int Count
        {
            get
            {
                try
                {
                    return DeviceBonding.Count();
                }
                catch (Exception)
                {
                    return int.MaxValue;
                }
            }
        }

        public void Clear() { DeviceBonding.DeleteAllBonds(); }
    }
}
