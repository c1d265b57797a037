namespace HingeSensor.Nano.Core.Device
{
    /// <summary>What the wearer did with the button (<see cref="ButtonGesture"/> tells them apart).</summary>
    public enum ButtonPress
    {
        /// <summary>Calibrate: neutral if not calibrated or after a hinge, else the hinge.</summary>
        Short = 1,

        /// <summary>Start or stop recording (released after the long mark, before the very long one).</summary>
        Long = 2,

        /// <summary>Held past the long mark: a tick, so the wearer knows releasing now means Long.</summary>
        LongReached = 3,

        /// <summary>Held to the very long mark: open the pairing window.</summary>
        VeryLong = 4,
    }
}
