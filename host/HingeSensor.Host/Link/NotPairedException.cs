using System;

namespace HingeSensor.Host.Link
{
    /// <summary>
    /// The device refuses this computer: it is not paired (no bond, or the bond was cleared on the
    /// device). The message says how to pair. A LinkUnavailableException, so every command that
    /// reports an unusable link reports this one in its words.
    /// </summary>
    public sealed class NotPairedException : LinkUnavailableException
    {
        public NotPairedException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
