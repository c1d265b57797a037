using System;

namespace HingeSensor.VirtualDevice.Link
{
    /// <summary>The ATT error "insufficient authentication": the attribute needs a paired (bonded, authenticated) link.</summary>
    public sealed class InsufficientAuthenticationException : InvalidOperationException
    {
        public InsufficientAuthenticationException(string message) : base(message) { }
    }
}
