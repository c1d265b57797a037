namespace HingeSensor.Protocol
{
    /// <summary>
    /// SHA-256 (FIPS 180-4 §6.2) on uint: the digest that identifies a recorded session's content.
    /// Ours because the device has no hashing library; the tests check it against the BCL's SHA-256.
    ///
    /// On the device one 64-byte block costs about 366,000 x86 instructions of the nanoCLR
    /// interpreter (callgrind) — a whole 10 ms main-loop pass — so a block is compressed in
    /// <see cref="Step"/>s of eight rounds each (an eighth of that), and the caller decides how
    /// many steps a pass may take: <see cref="Feed"/> takes bytes only while no block is pending.
    /// <see cref="Update"/> and <see cref="Finish"/> do the same in one go (host, tests, short
    /// inputs). Nothing allocates after construction.
    /// </summary>
    public sealed class Sha256
    {
        public const int BlockBytes = 64;
        public const int DigestBytes = 32;

        /// <summary>Most padding bytes a message can need (0x80, zeros, the 64-bit bit length).</summary>
        public const int MaxPaddingBytes = BlockBytes + 8;

        private static readonly uint[] K =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        };

        private readonly uint[] _h = new uint[8];
        // The block's message schedule as a ring of 16 words (W[t] overwrites W[t - 16]).
        private readonly uint[] _w = new uint[16];
        private readonly byte[] _block = new byte[BlockBytes];
        private readonly byte[] _padding = new byte[MaxPaddingBytes];
        private uint _a, _b, _c, _d, _e, _f, _g, _h8;
        private int _used;
        private int _round = -1; // next round of the block being compressed; −1: none pending
        private long _length;

        public Sha256() { Reset(); }

        /// <summary>Bytes fed since the last reset.</summary>
        public long Length { get { return _length; } }

        /// <summary>True while a full block waits for its remaining <see cref="Step"/>s.</summary>
        public bool Pending { get { return _round >= 0; } }

        public void Reset()
        {
            _h[0] = 0x6a09e667; _h[1] = 0xbb67ae85; _h[2] = 0x3c6ef372; _h[3] = 0xa54ff53a;
            _h[4] = 0x510e527f; _h[5] = 0x9b05688c; _h[6] = 0x1f83d9ab; _h[7] = 0x5be0cd19;
            _used = 0;
            _round = -1;
            _length = 0;
        }

        /// <summary>
        /// Takes bytes up to the end of the current block and returns how many; 0 while a block is
        /// pending. A block that fills up becomes pending: <see cref="Step"/> compresses it.
        /// </summary>
        public int Feed(byte[] data, int offset, int count)
        {
            if (_round >= 0) return 0;
            int n = BlockBytes - _used;
            if (n > count) n = count;
            System.Array.Copy(data, offset, _block, _used, n);
            _used += n;
            _length += n;
            if (_used == BlockBytes) Begin();
            return n;
        }

        /// <summary>Eight rounds of the pending block; false when no block is pending (any more).</summary>
        public bool Step()
        {
            if (_round < 0) return false;
            uint[] w = _w;
            uint[] k = K;
            int t = _round;
            int i = t & 15;
            if (t >= 16)
            {
                for (int j = i; j < i + 8; j++)
                {
                    uint x = w[(j + 1) & 15], y = w[(j + 14) & 15];
                    w[j] += (((x >> 7) | (x << 25)) ^ ((x >> 18) | (x << 14)) ^ (x >> 3)) + w[(j + 9) & 15]
                          + (((y >> 17) | (y << 15)) ^ ((y >> 19) | (y << 13)) ^ (y >> 10));
                }
            }
            uint a = _a, b = _b, c = _c, d = _d, e = _e, f = _f, g = _g, h = _h8;
            uint t1;
            // Eight rounds written out: each renames the working variables instead of moving them.
            t1 = h + (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + k[t] + w[i];
            d += t1;
            h = t1 + (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) | (c & (a | b)));
            t1 = g + (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + k[t + 1] + w[i + 1];
            c += t1;
            g = t1 + (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) | (b & (h | a)));
            t1 = f + (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + k[t + 2] + w[i + 2];
            b += t1;
            f = t1 + (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) | (a & (g | h)));
            t1 = e + (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + k[t + 3] + w[i + 3];
            a += t1;
            e = t1 + (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) | (h & (f | g)));
            t1 = d + (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + k[t + 4] + w[i + 4];
            h += t1;
            d = t1 + (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) | (g & (e | f)));
            t1 = c + (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + k[t + 5] + w[i + 5];
            g += t1;
            c = t1 + (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) | (f & (d | e)));
            t1 = b + (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + k[t + 6] + w[i + 6];
            f += t1;
            b = t1 + (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) | (e & (c | d)));
            t1 = a + (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + k[t + 7] + w[i + 7];
            e += t1;
            a = t1 + (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) | (d & (b | c)));
            _a = a; _b = b; _c = c; _d = d; _e = e; _f = f; _g = g; _h8 = h;
            _round = t + 8;
            if (_round < 64) return true;
            _h[0] += a; _h[1] += b; _h[2] += c; _h[3] += d;
            _h[4] += e; _h[5] += f; _h[6] += g; _h[7] += h;
            _round = -1;
            return false;
        }

        /// <summary>
        /// The padding (FIPS 180-4 §5.1.1) that ends a message of this many bytes: feed it after the
        /// message, then read the digest. Returns its length.
        /// </summary>
        public static int Padding(long messageLength, byte[] into, int offset)
        {
            int n = 64 - (int)((messageLength + 9) & 63);
            if (n == 64) n = 0;
            n += 9;
            into[offset] = 0x80;
            for (int i = 1; i < n - 8; i++) into[offset + i] = 0;
            long bits = messageLength * 8;
            for (int i = 0; i < 8; i++) into[offset + n - 1 - i] = (byte)(bits >> (8 * i));
            return n;
        }

        /// <summary>The digest, once the padded message has been fed and every block compressed.</summary>
        public void ReadDigest(byte[] output, int offset)
        {
            for (int i = 0; i < 8; i++)
            {
                uint v = _h[i];
                output[offset + 4 * i] = (byte)(v >> 24);
                output[offset + 4 * i + 1] = (byte)(v >> 16);
                output[offset + 4 * i + 2] = (byte)(v >> 8);
                output[offset + 4 * i + 3] = (byte)v;
            }
        }

        /// <summary>Feeds and compresses everything at once.</summary>
        public void Update(byte[] data, int offset, int count)
        {
            while (count > 0)
            {
                while (Step()) { }
                int n = Feed(data, offset, count);
                offset += n;
                count -= n;
            }
            while (Step()) { }
        }

        /// <summary>Pads, writes the 32-byte digest to output[offset ..] and resets.</summary>
        public void Finish(byte[] output, int offset)
        {
            int n = Padding(_length, _padding, 0);
            Update(_padding, 0, n);
            ReadDigest(output, offset);
            Reset();
        }

        // The full block becomes pending: its first 16 schedule words, and the working variables.
        private void Begin()
        {
            byte[] m = _block;
            for (int t = 0; t < 16; t++)
            {
                int i = 4 * t;
                _w[t] = ((uint)m[i] << 24) | ((uint)m[i + 1] << 16) | ((uint)m[i + 2] << 8) | m[i + 3];
            }
            _a = _h[0]; _b = _h[1]; _c = _h[2]; _d = _h[3]; _e = _h[4]; _f = _h[5]; _g = _h[6]; _h8 = _h[7];
            _used = 0;
            _round = 0;
        }
    }
}
