namespace HingeSensor.Nano.Core.Ble
{
    /// <summary>
    /// The BLE stack's list of bonded hosts (NimBLE's key store, kept in NVS on the device; a model
    /// in the virtual device). The core only counts and clears it: who gets a bond is decided by the
    /// pairing window (<see cref="PairingWindow"/>).
    /// </summary>
    public interface IBondStore
    {
        /// <summary>Bonded hosts now; a store that cannot tell (stack not running) says int.MaxValue.</summary>
        int Count { get; }

        /// <summary>Forgets every bonded host.</summary>
        void Clear();
    }
}
