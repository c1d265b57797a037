using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Tmds.DBus.Protocol;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>
    /// The org.bluez.Agent1 object `hinge pair` registers (bluez doc/org.bluez.Agent.rst) with the
    /// capability KeyboardOnly: against a HingeSensor (DisplayOnly, MITM required) that makes BlueZ
    /// use passkey entry, calling <c>RequestPasskey</c>, which this agent answers with the passkey
    /// the user counted on the device. A HingeSensor never asks for anything else; the other
    /// questions (confirm a number, authorise, a PIN code) are answered Rejected, so that nothing
    /// is ever paired by a yes.
    /// </summary>
    internal sealed class PairingAgent : IPathMethodHandler
    {
        public const string ObjectPath = "/org/hingesensor/pairing_agent";
        public const string Capability = "KeyboardOnly";

        private readonly Func<CancellationToken, Task<uint>> _passkey;

        /// <param name="passkey">The passkey for the device BlueZ asks about (the user types it, or --passkey gave it).</param>
        public PairingAgent(Func<CancellationToken, Task<uint>> passkey)
        {
            _passkey = passkey;
        }

        public string Path => ObjectPath;
        public bool HandlesChildPaths => false;

        /// <summary>The methods BlueZ called, in order ("RequestPasskey", "Cancel", …).</summary>
        public ConcurrentQueue<string> Calls { get; } = new();

        public ValueTask HandleMethodAsync(MethodContext context)
        {
            Message request = context.Request;
            if (request.InterfaceAsString != BlueZNames.Agent) return default; // unknown: answered UnknownMethod
            string member = request.MemberAsString ?? "";
            Calls.Enqueue(member);
            switch (member)
            {
                case "RequestPasskey":
                    // Answered later: no other message is read from the bus until this method returns.
                    context.DisposesAsynchronously = true;
                    _ = AnswerPasskeyAsync(context);
                    break;
                case "Release":
                case "Cancel":
                case "DisplayPasskey":
                case "DisplayPinCode":
                    Reply(context);
                    break;
                default:
                    context.ReplyError(BlueZNames.Rejected, "a HingeSensor pairs by passkey entry only");
                    break;
            }
            return default;
        }

        private async Task AnswerPasskeyAsync(MethodContext context)
        {
            try
            {
                uint passkey = await _passkey(context.RequestAborted).ConfigureAwait(false);
                MessageWriter writer = context.CreateReplyWriter("u");
                try
                {
                    writer.WriteUInt32(passkey);
                    context.Reply(writer.CreateMessage());
                }
                finally
                {
                    writer.Dispose();
                }
            }
            catch (Exception e) when (e is OperationCanceledException || e is InvalidOperationException)
            {
                context.ReplyError(BlueZNames.Canceled, "no passkey: " + e.Message);
            }
            finally
            {
                context.Dispose();
            }
        }

        private static void Reply(MethodContext context)
        {
            MessageWriter writer = context.CreateReplyWriter(null);
            try
            {
                context.Reply(writer.CreateMessage());
            }
            finally
            {
                writer.Dispose();
            }
        }
    }
}
