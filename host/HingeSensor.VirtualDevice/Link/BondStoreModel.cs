using System;
using System.Collections.Generic;
using HingeSensor.Nano.Core.Ble;

namespace HingeSensor.VirtualDevice.Link
{
    /// <summary>
    /// NimBLE's bond store as the firmware meets it on the ESP32: a list of bonded hosts, oldest
    /// first, holding <see cref="StackCapacity"/> (BLE_STORE_MAX_BONDS). When a pairing request
    /// finds it full, NimBLE makes room before anything is agreed, by deleting the oldest bond
    /// (ble_sm.c ble_sm_chk_store_overflow → ble_store_util_status_rr, the callback nanoFramework
    /// installs): <see cref="MakeRoomForPairing"/>. Thread-safe.
    /// </summary>
    public sealed class BondStoreModel : IBondStore
    {
        public const int StackCapacity = 3;

        private readonly List<string> _hosts = new();

        public int Count { get { lock (_hosts) return _hosts.Count; } }

        /// <summary>The bonded hosts, oldest first.</summary>
        public string[] Hosts { get { lock (_hosts) return _hosts.ToArray(); } }

        /// <summary>Bonds deleted to make room (the owner's, if nothing stopped it).</summary>
        public int Evicted { get; private set; }

        public void Clear() { lock (_hosts) _hosts.Clear(); }

        public bool Contains(string host) { lock (_hosts) return _hosts.Contains(host); }

        public void Add(string host)
        {
            lock (_hosts)
            {
                _hosts.Remove(host);
                _hosts.Add(host);
            }
        }

        public void Remove(string host) { lock (_hosts) _hosts.Remove(host); }

        /// <summary>What NimBLE does when a pairing request arrives and the store is full.</summary>
        public void MakeRoomForPairing()
        {
            lock (_hosts)
            {
                if (_hosts.Count < StackCapacity) return;
                _hosts.RemoveAt(0);
                Evicted++;
            }
        }
    }
}
