using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace HingeSensor.Host.Link.Virtual
{
    /// <summary>
    /// Reads a loopback frame's payload field by field. A field that runs past the end of the frame
    /// is an <see cref="InvalidDataException"/> saying which frame and which field: the other side
    /// does not speak the protocol, and nothing it sent may throw anything else.
    /// </summary>
    public sealed class LoopbackFrameReader
    {
        private readonly byte[] _payload;
        private readonly string _frame;
        private int _at;

        public LoopbackFrameReader(byte type, byte[] payload)
        {
            _payload = payload;
            _frame = LoopbackProtocol.TypeName(type);
        }

        public byte U8(string field) => Take(1, field)[0];

        public ushort U16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

        public uint U32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

        /// <summary>A length-prefixed (u8) ASCII string.</summary>
        public string String(string field)
        {
            int n = U8(field + " length");
            return Encoding.ASCII.GetString(Take(n, field));
        }

        /// <summary>Whether every byte has been read (an optional field follows only when not).</summary>
        public bool AtEnd => _at >= _payload.Length;

        /// <summary>Everything after the fields read so far.</summary>
        public byte[] Rest()
        {
            byte[] rest = _payload[_at..];
            _at = _payload.Length;
            return rest;
        }

        private ReadOnlySpan<byte> Take(int n, string field)
        {
            if (_payload.Length - _at < n)
                throw new InvalidDataException($"{_frame} frame of {_payload.Length + 1} bytes: its {field} runs past the end");
            ReadOnlySpan<byte> s = _payload.AsSpan(_at, n);
            _at += n;
            return s;
        }
    }
}
