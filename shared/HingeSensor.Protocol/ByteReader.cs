namespace HingeSensor.Protocol
{
    /// <summary>Little-endian reader over a buffer; reading past the end sets <see cref="Ok"/> false and returns 0.</summary>
    /// <remarks>A class, so that device code keeps one and <c>Reset</c>s it for each use:
    /// on the nanoFramework interpreter a struct local is a heap allocation on every call.</remarks>
    public sealed class ByteReader
    {
        public byte[] Buffer;
        public int Position;
        private int _end;
        public bool Ok;

        /// <summary>A reader over nothing yet: <c>Reset</c> it before use.</summary>
        public ByteReader()
        {
            Buffer = new byte[0];
        }

        public ByteReader(byte[] buffer, int offset, int count)
        {
            Buffer = buffer;
            Reset(buffer, offset, count);
        }

        public ByteReader(byte[] buffer) : this(buffer, 0, buffer.Length) { }

        /// <summary>Starts over on <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
        public void Reset(byte[] buffer, int offset, int count)
        {
            Buffer = buffer;
            Position = offset;
            _end = offset + count;
            Ok = true;
        }

        public int Remaining { get { return _end - Position; } }

        private bool Has(int n)
        {
            if (Position + n > _end)
            {
                Ok = false;
                Position = _end;
                return false;
            }
            return true;
        }

        public int U8()
        {
            if (!Has(1)) return 0;
            return Buffer[Position++];
        }

        public int U16()
        {
            if (!Has(2)) return 0;
            int v = Buffer[Position] | (Buffer[Position + 1] << 8);
            Position += 2;
            return v;
        }

        public int I16()
        {
            int v = U16();
            return v >= 0x8000 ? v - 0x10000 : v;
        }

        public uint U32()
        {
            if (!Has(4)) return 0;
            uint v = (uint)(Buffer[Position] | (Buffer[Position + 1] << 8) | (Buffer[Position + 2] << 16) | (Buffer[Position + 3] << 24));
            Position += 4;
            return v;
        }

        public int I32() { return (int)U32(); }

        public ulong U64()
        {
            ulong lo = U32();
            ulong hi = U32();
            return lo | (hi << 32);
        }

        public long I64() { return (long)U64(); }

        public float F32()
        {
            if (!Has(4)) return 0f;
            float v = System.BitConverter.ToSingle(Buffer, Position);
            Position += 4;
            return v;
        }

        public float Centidegrees() { return I16() * 0.01f; }

        /// <summary>Reads what <see cref="ByteWriter.Milli"/> wrote.</summary>
        public float Milli() { return I16() * 0.001f; }

        /// <summary>Reads what <see cref="ByteWriter.QuaternionQ15(HingeSensor.Algorithms.Numerics.Quaternion)"/> wrote.</summary>
        public HingeSensor.Algorithms.Numerics.Quaternion QuaternionQ15()
        {
            const float k = 1f / 32767f;
            return new HingeSensor.Algorithms.Numerics.Quaternion(I16() * k, I16() * k, I16() * k, I16() * k);
        }

        /// <summary>Reads what <see cref="ByteWriter.VectorQ15"/> wrote.</summary>
        public HingeSensor.Algorithms.Numerics.Vector3 VectorQ15()
        {
            const float k = 1f / 32767f;
            return new HingeSensor.Algorithms.Numerics.Vector3(I16() * k, I16() * k, I16() * k);
        }

        public void Skip(int n)
        {
            if (Has(n)) Position += n;
        }

        public uint VarUInt()
        {
            uint v = 0;
            int shift = 0;
            while (true)
            {
                int b = U8();
                if (!Ok) return 0;
                v |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
                shift += 7;
                if (shift > 28)
                {
                    Ok = false;
                    return 0;
                }
            }
        }

        public int VarInt()
        {
            uint z = VarUInt();
            return (int)(z >> 1) ^ -(int)(z & 1);
        }
    }
}
