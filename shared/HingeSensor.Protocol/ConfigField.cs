namespace HingeSensor.Protocol
{
    /// <summary>Which field of a config record is wrong (0 = none). Wire values: never renumber.</summary>
    public enum ConfigField
    {
        None = 0,
        Length = 1,
        Version = 2,
        BackRoundingDeg = 3,
        BackRoundingPercent = 4,
        ChinDropDeg = 5,
        HeadUpDeg = 6,
        HysteresisDeg = 7,
        PersistenceMs = 8,
        GateOpenDeg = 9,
        GateCloseDeg = 10,
        ReminderS = 11,
        CooldownS = 12,
        HapticIntensity = 13,
        RecordRateHz = 14,
        LiveRateHz = 15,
        HeightCm = 16,
        DeviceName = 17,
        Flags = 18,
        Exercise = 19,
        DepthTargetDeg = 20,
        DescentTargetS = 21,
    }
}
