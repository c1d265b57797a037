using System;
using System.Buffers.Binary;
using System.IO;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Link;

namespace HingeSensor.Host.Link.Virtual
{
    /// <summary>
    /// One host speaking the loopback ATT frames of docs/protocol.md Appendix A to a virtual
    /// device, whatever carries the frames: a TCP stream (<see cref="LoopbackServer"/>, `hinge
    /// virtual-device`) or a WebSocket (the web app's transport to `hinge serve --virtual`).
    /// While it lasts the device's notifications and drops go to <c>send</c>, in the device's
    /// order; disposing it is the host going away (a BLE disconnect for the device).
    /// </summary>
    public sealed class AttFrameSession : IDisposable
    {
        private readonly VirtualDeviceHost _device;
        private bool _disposed;

        /// <param name="send">Queues a frame for the host (type, payload); called on the device's thread, so it must not block.</param>
        public AttFrameSession(VirtualDeviceHost device, Action<byte, byte[]> send)
        {
            _device = device;
            _device.Link.Notify = (uuid, value) =>
            {
                var m = new MemoryStream();
                LoopbackProtocol.PutString(m, uuid);
                m.Write(value);
                send(LoopbackProtocol.Notification, m.ToArray());
            };
            _device.Link.Dropped = reason =>
            {
                var m = new MemoryStream();
                LoopbackProtocol.PutString(m, reason);
                send(LoopbackProtocol.Disconnect, m.ToArray());
            };
        }

        /// <summary>
        /// Carries out one frame from the host and gives the answer to send, if any. A frame whose
        /// payload does not fit its type, or of a type a host does not send, is an
        /// <see cref="InvalidDataException"/> saying what was wrong; the session goes on.
        /// </summary>
        public (byte Type, byte[] Payload)? Handle(byte type, byte[] payload)
        {
            var p = new LoopbackFrameReader(type, payload);
            switch (type)
            {
                case LoopbackProtocol.Connect:
                    {
                        ushort requested = p.U16("MTU");
                        string host = p.AtEnd ? AttLinkModel.DefaultHost : p.String("host");
                        int mtu = _device.Link.Connect(requested, host);
                        var b = new byte[2];
                        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)mtu);
                        return (LoopbackProtocol.Connected, b);
                    }
                case LoopbackProtocol.Disconnect:
                    _device.Link.Disconnect("host disconnected");
                    return null;
                case LoopbackProtocol.Read:
                    {
                        uint id = p.U32("request id");
                        string uuid = p.String("UUID");
                        var m = new MemoryStream();
                        LoopbackProtocol.PutU32(m, id);
                        try
                        {
                            byte[] value = _device.Link.Read(uuid);
                            m.WriteByte(LoopbackProtocol.StatusOk);
                            m.Write(value);
                        }
                        catch (InvalidOperationException e) { m.WriteByte(StatusOf(e)); }
                        return (LoopbackProtocol.ReadResult, m.ToArray());
                    }
                case LoopbackProtocol.Write:
                case LoopbackProtocol.Subscribe:
                    {
                        uint id = p.U32("request id");
                        bool withResponse = type == LoopbackProtocol.Write && p.U8("with-response flag") != 0;
                        string uuid = p.String("UUID");
                        byte status = LoopbackProtocol.StatusOk;
                        try
                        {
                            if (type == LoopbackProtocol.Write) _device.Link.Write(uuid, p.Rest(), withResponse);
                            else _device.Link.Subscribe(uuid, true);
                        }
                        catch (InvalidOperationException e) { status = StatusOf(e); }
                        var m = new MemoryStream();
                        LoopbackProtocol.PutU32(m, id);
                        m.WriteByte(status);
                        // A write without response is not answered, as in ATT.
                        if (type == LoopbackProtocol.Write && !withResponse && status == LoopbackProtocol.StatusOk) return null;
                        return (type == LoopbackProtocol.Write ? LoopbackProtocol.WriteResult : LoopbackProtocol.SubscribeResult, m.ToArray());
                    }
                case LoopbackProtocol.Pair:
                    {
                        uint id = p.U32("request id");
                        int passkey = (int)p.U32("passkey");
                        byte status;
                        try { status = _device.Link.Pair(passkey) ? LoopbackProtocol.StatusOk : LoopbackProtocol.StatusAuthenticationFailed; }
                        catch (InvalidOperationException e) { status = StatusOf(e); }
                        var m = new MemoryStream();
                        LoopbackProtocol.PutU32(m, id);
                        m.WriteByte(status);
                        return (LoopbackProtocol.PairResult, m.ToArray());
                    }
                default:
                    throw new InvalidDataException($"a frame of {LoopbackProtocol.TypeName(type)}, which a host does not send");
            }
        }

        private static byte StatusOf(InvalidOperationException e) =>
            e is InsufficientAuthenticationException ? LoopbackProtocol.StatusNotPaired
            : e.Message == "not connected" ? LoopbackProtocol.StatusNotConnected
            : LoopbackProtocol.StatusRefused;

        /// <summary>The host went away: the device stops sending to it and sees the link drop.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _device.Link.Notify = null;
            _device.Link.Dropped = null;
            _device.Link.Disconnect("host went away");
        }
    }
}
