using System;

namespace HingeSensor.Host.Client
{
    /// <summary>
    /// How long to wait before each attempt to get a lost link back: 0.5 s, doubling up to 5 s.
    /// A device that only blinked out (the wearer turned away from the host) is back within a
    /// second; one that is switched off or rebooting is asked every 5 s — often enough to find it
    /// soon after it returns, seldom enough not to keep a Bluetooth adapter busy connecting.
    /// </summary>
    public sealed class ReconnectBackoff
    {
        public static readonly TimeSpan First = TimeSpan.FromSeconds(0.5);
        public static readonly TimeSpan Cap = TimeSpan.FromSeconds(5);

        private TimeSpan _next = First;

        /// <summary>The wait before the next attempt (each call is one attempt).</summary>
        public TimeSpan Next()
        {
            TimeSpan wait = _next;
            _next = TimeSpan.FromTicks(Math.Min(Cap.Ticks, _next.Ticks * 2));
            return wait;
        }
    }
}
