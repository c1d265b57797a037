namespace HingeSensor.Protocol
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, the zlib/PNG one: reflected polynomial 0xEDB88320, initial and final
    /// XOR 0xFFFFFFFF). Ours because the device has no hashing library; the host's tests check it
    /// against System.IO.Hashing.Crc32.
    /// </summary>
    public static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        private static uint[] BuildTable()
        {
            var t = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                t[i] = c;
            }
            return t;
        }

        /// <summary>The CRC of buffer[offset .. offset+count).</summary>
        public static uint Compute(byte[] buffer, int offset, int count)
        {
            return Finish(Update(Start, buffer, offset, count));
        }

        public const uint Start = 0xFFFFFFFFu;

        /// <summary>Continues a running CRC (start with <see cref="Start"/>, end with <see cref="Finish"/>).</summary>
        public static uint Update(uint crc, byte[] buffer, int offset, int count)
        {
            uint[] table = Table;
            int end = offset + count;
            for (int i = offset; i < end; i++) crc = table[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
            return crc;
        }

        public static uint Finish(uint crc) { return crc ^ 0xFFFFFFFFu; }
    }
}
