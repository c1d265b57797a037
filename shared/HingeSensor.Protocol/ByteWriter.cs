namespace HingeSensor.Protocol
{
    /// <summary>
    /// Little-endian writer over a caller's buffer: the wire and file formats are all
    /// little-endian, as BLE itself is.
    /// </summary>
    /// <remarks>A class, so that device code keeps one and <c>Reset</c>s it for each use:
    /// on the nanoFramework interpreter a struct local is a heap allocation on every call.</remarks>
    public sealed class ByteWriter
    {
        public byte[] Buffer;
        public int Position;
        private int _end;

        /// <summary>A writer over nothing yet: <c>Reset</c> it before use.</summary>
        public ByteWriter()
        {
            Buffer = new byte[0];
        }

        public ByteWriter(byte[] buffer, int offset, int count)
        {
            Buffer = buffer;
            Reset(buffer, offset, count);
        }

        public ByteWriter(byte[] buffer) : this(buffer, 0, buffer.Length) { }

        /// <summary>Starts over on <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
        public void Reset(byte[] buffer, int offset, int count)
        {
            Buffer = buffer;
            Position = offset;
            _end = offset + count;
            Ok = true;
        }

        /// <summary>Starts over on the whole of <paramref name="buffer"/>.</summary>
        public void Reset(byte[] buffer) { Reset(buffer, 0, buffer.Length); }

        public int Remaining { get { return _end - Position; } }

        /// <summary>False once a write did not fit (the write was not made).</summary>
        public bool Ok;

        private bool Room(int n)
        {
            if (Position + n > _end)
            {
                Ok = false;
                return false;
            }
            return true;
        }

        public void U8(int v)
        {
            if (!Room(1)) return;
            Buffer[Position++] = (byte)v;
        }

        public void U16(int v)
        {
            if (!Room(2)) return;
            Buffer[Position++] = (byte)v;
            Buffer[Position++] = (byte)(v >> 8);
        }

        public void I16(int v) { U16(v & 0xFFFF); }

        public void U32(uint v)
        {
            if (!Room(4)) return;
            Buffer[Position++] = (byte)v;
            Buffer[Position++] = (byte)(v >> 8);
            Buffer[Position++] = (byte)(v >> 16);
            Buffer[Position++] = (byte)(v >> 24);
        }

        public void I32(int v) { U32((uint)v); }

        public void U64(ulong v)
        {
            U32((uint)v);
            U32((uint)(v >> 32));
        }

        public void I64(long v) { U64((ulong)v); }

        /// <summary>A float (IEEE 754 single). Allocates on the device (BitConverter): not for the per-sample path.</summary>
        public void F32(float v)
        {
            byte[] b = System.BitConverter.GetBytes(v);
            if (!Room(4)) return;
            // BitConverter is little-endian on every target we run on (x86-64, Xtensa ESP32).
            Buffer[Position++] = b[0];
            Buffer[Position++] = b[1];
            Buffer[Position++] = b[2];
            Buffer[Position++] = b[3];
        }

        /// <summary>An angle in degrees as a signed 16-bit count of 0.01° (±327°), saturating.</summary>
        public void Centidegrees(float deg) { I16(CentidegreesOf(deg)); }

        /// <summary>Degrees as the signed count of 0.01° that <see cref="Centidegrees"/> writes (rounded, saturating).</summary>
        public static int CentidegreesOf(float deg) { return Fixed16(deg * 100f); }

        /// <summary>A value as a signed 16-bit count of thousandths (±32.767: m/s² as mm/s²), saturating.</summary>
        public void Milli(float v) { I16(Fixed16(v * 1000f)); }

        // A scaled value rounded to the nearest whole count and held to 16 bits; NaN (no comparison
        // holds) reads as 0.
        private static int Fixed16(float c)
        {
            if (c >= 32767f) return 32767;
            if (c <= -32768f) return -32768;
            if (!(c > -32768f)) return 0;
            return (int)(c < 0f ? c - 0.5f : c + 0.5f);
        }

        /// <summary>A unit quaternion as four signed Q15 fractions (w, x, y, z): 8 bytes, ~3e-5 resolution.</summary>
        public void QuaternionQ15(HingeSensor.Algorithms.Numerics.Quaternion q) { QuaternionQ15(q.W, q.X, q.Y, q.Z); }

        /// <summary>As <see cref="QuaternionQ15(HingeSensor.Algorithms.Numerics.Quaternion)"/>, from its four components (scalar first).</summary>
        public void QuaternionQ15(float w, float x, float y, float z)
        {
            I16(Q15(w));
            I16(Q15(x));
            I16(Q15(y));
            I16(Q15(z));
        }

        /// <summary>A unit vector as three signed Q15 fractions (x, y, z): 6 bytes.</summary>
        public void VectorQ15(HingeSensor.Algorithms.Numerics.Vector3 v)
        {
            I16(Q15(v.X));
            I16(Q15(v.Y));
            I16(Q15(v.Z));
        }

        /// <summary>A quaternion component as the signed Q15 fraction <see cref="QuaternionQ15(float, float, float, float)"/> writes (rounded, saturating at ±1).</summary>
        public static int Q15(float v)
        {
            float s = v * 32767f;
            if (s >= 32767f) return 32767;
            if (s <= -32767f) return -32767;
            return (int)(s < 0f ? s - 0.5f : s + 0.5f);
        }

        public void Bytes(byte[] src, int offset, int count)
        {
            if (!Room(count)) return;
            System.Array.Copy(src, offset, Buffer, Position, count);
            Position += count;
        }

        /// <summary>Unsigned LEB128 varint.</summary>
        public void VarUInt(uint v)
        {
            int n = 1;
            for (uint rest = v >> 7; rest != 0; rest >>= 7) n++;
            if (!Room(n)) return;
            Position = PutVarUInt(Buffer, Position, v);
        }

        /// <summary>Signed as zigzag + LEB128: small magnitudes of either sign take one byte.</summary>
        public void VarInt(int v) { VarUInt(ZigZag(v)); }

        /// <summary>The zigzag mapping of a signed value (0, −1, 1, −2 … → 0, 1, 2, 3 …).</summary>
        public static uint ZigZag(int v) { return (uint)((v << 1) ^ (v >> 31)); }

        /// <summary>
        /// Stores v as an unsigned LEB128 varint at b[p] and returns the position after it; the
        /// caller leaves room (up to 5 bytes). For loops that keep their own position (the
        /// recorder's frames): one call per value instead of one per byte.
        /// </summary>
        public static int PutVarUInt(byte[] b, int p, uint v)
        {
            while (v >= 0x80)
            {
                b[p++] = (byte)((v & 0x7F) | 0x80);
                v >>= 7;
            }
            b[p] = (byte)v;
            return p + 1;
        }
    }
}
