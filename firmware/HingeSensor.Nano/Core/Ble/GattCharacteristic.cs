namespace HingeSensor.Nano.Core.Ble
{
    /// <summary>Our characteristics, as the glue maps them to BLE objects (UUIDs in Protocol.GattIds).</summary>
    public enum GattCharacteristic
    {
        None = 0,
        Live = 1,
        Control = 2,
        Config = 3,
        Status = 4,
        SessionData = 5,
        BatteryLevel = 6,
    }
}
