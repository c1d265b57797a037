using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HingeSensor.Host.Link.Virtual
{
    /// <summary>
    /// ATT over a loopback TCP socket, between `hinge virtual-device` and the host: just enough to
    /// carry the link operations. Frame: [length u32 LE][type u8][payload]. Strings are length-
    /// prefixed (u8) ASCII.
    /// </summary>
    public static class LoopbackProtocol
    {
        public const byte Connect = 1;       // client: [mtu u16][host str, optional] server: Connected [mtu u16]
        public const byte Connected = 2;
        public const byte Read = 3;          // [request u32][uuid]            → ReadResult [request u32][status u8][bytes]
        public const byte ReadResult = 4;
        public const byte Write = 5;         // [request u32][withResponse u8][uuid][bytes] → WriteResult [request u32][status u8]
        public const byte WriteResult = 6;
        public const byte Subscribe = 7;     // [request u32][uuid]            → SubscribeResult [request u32][status u8]
        public const byte SubscribeResult = 8;
        public const byte Notification = 9; // server: [uuid][bytes]
        public const byte Disconnect = 10;   // either side: [reason]
        public const byte Pair = 11;         // [request u32][passkey u32]     → PairResult [request u32][status u8]
        public const byte PairResult = 12;

        /// <summary>The longest frame either side accepts (type and payload), bytes.</summary>
        public const int MaxFrameBytes = 1 << 20;

        public const byte StatusOk = 0;
        public const byte StatusNotConnected = 1;
        public const byte StatusRefused = 2;
        /// <summary>ATT "insufficient authentication": the link is not paired.</summary>
        public const byte StatusNotPaired = 3;
        /// <summary>Pairing failed: the passkey did not match, or the device refused to pair.</summary>
        public const byte StatusAuthenticationFailed = 4;

        public static async Task WriteFrameAsync(Stream s, byte type, ReadOnlyMemory<byte> payload, SemaphoreSlim gate, CancellationToken ct)
        {
            var header = new byte[5];
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length + 1);
            header[4] = type;
            await gate.WaitAsync(ct);
            try
            {
                await s.WriteAsync(header, ct);
                await s.WriteAsync(payload, ct);
                await s.FlushAsync(ct);
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>
        /// The next frame, or null when the other side closed the connection. A length field out of
        /// range is an <see cref="InvalidDataException"/>: the stream has lost its framing.
        /// </summary>
        public static async Task<(byte Type, byte[] Payload)?> ReadFrameAsync(Stream s, CancellationToken ct)
        {
            var header = new byte[4];
            if (!await ReadExactlyAsync(s, header, ct)) return null;
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (length == 0 || length > MaxFrameBytes) throw new InvalidDataException($"a frame length of {length} bytes (1 to {MaxFrameBytes} allowed): not a loopback link peer, or a corrupted stream");
            var body = new byte[length];
            if (!await ReadExactlyAsync(s, body, ct)) return null;
            return (body[0], body[1..]);
        }

        private static async Task<bool> ReadExactlyAsync(Stream s, byte[] buffer, CancellationToken ct)
        {
            int got = 0;
            while (got < buffer.Length)
            {
                int n = await s.ReadAsync(buffer.AsMemory(got), ct);
                if (n == 0) return false;
                got += n;
            }
            return true;
        }

        public static void PutString(MemoryStream m, string s)
        {
            byte[] b = Encoding.ASCII.GetBytes(s);
            int n = Math.Min(b.Length, 255); // the length is one byte: a longer string (a reason) is cut, never the framing
            m.WriteByte((byte)n);
            m.Write(b, 0, n);
        }

        /// <summary>A frame type as people read it in a log line.</summary>
        public static string TypeName(byte type) => type switch
        {
            Connect => "Connect",
            Connected => "Connected",
            Read => "Read",
            ReadResult => "ReadResult",
            Write => "Write",
            WriteResult => "WriteResult",
            Subscribe => "Subscribe",
            SubscribeResult => "SubscribeResult",
            Notification => "Notification",
            Disconnect => "Disconnect",
            _ => $"unknown (type {type})",
        };

        public static void PutU32(MemoryStream m, uint v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
            m.Write(b);
        }
    }
}
