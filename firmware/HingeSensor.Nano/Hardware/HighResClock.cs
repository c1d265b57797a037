using nanoFramework.Hardware.Esp32;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// Microseconds since boot from the ESP32's 64-bit esp_timer. nanoFramework has no Stopwatch,
    /// and DateTime.UtcNow is wall time that can be set; this clock only ever moves forward.
    /// </summary>
    public static class HighResClock
    {
        public static long NowUs { get { return (long)HighResTimer.GetCurrent(); } }
    }
}
