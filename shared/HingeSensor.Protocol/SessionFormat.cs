namespace HingeSensor.Protocol
{
    /// <summary>
    /// The recorded-session file (docs/session-format.md): a sequence of self-checking chunks,
    /// appended and closed one at a time so that a power cut can only ever tear the last one.
    /// <code>
    /// chunk = 'H' 'S' | type u8 | length u16 | sequence u32 | payload[length] | crc32 u32
    /// </code>
    /// The CRC covers everything before it; sequences count up from 0, one per chunk. A damaged
    /// chunk costs that chunk only: readers resynchronise on the next chunk that checks
    /// (<see cref="FindNext"/>) and report the hole.
    /// </summary>
    public static class SessionFormat
    {
        public const byte Magic0 = (byte)'H';
        public const byte Magic1 = (byte)'S';
        public const int HeaderBytes = 9;
        public const int CrcBytes = 4;
        public const int Overhead = HeaderBytes + CrcBytes;

        /// <summary>Largest payload a chunk may carry (keeps a torn write small and the RAM buffer fixed).</summary>
        public const int MaxPayload = 1024;

        /// <summary>Format written now: 2 adds the session's random identity and calibration record 2.</summary>
        public const int FormatVersion = 2;

        /// <summary>Oldest format still read (hosts keep sessions stored before 2).</summary>
        public const int OldestFormatVersion = 1;

        /// <summary>
        /// Longest session file the protocol allows (16 MiB, a day at 183 B/s with room to spare):
        /// a device never lists a longer one, a host refuses any length outside
        /// <see cref="Overhead"/> .. this before allocating for it.
        /// </summary>
        public const int MaxSessionBytes = 16 * 1024 * 1024;

        /// <summary>
        /// Bytes of a session's SHA-256 digest that travel on the wire (DownloadDone,
        /// MarkDownloaded, EraseSession): 96 bits keep every control message within one ATT
        /// packet at MTU 23, and an accidental match stays beyond reach (2^-96).
        /// </summary>
        public const int DigestTagBytes = 12;

        public const int ChunkHeader = 1;
        public const int ChunkFrames = 2;
        public const int ChunkEvents = 3;
        public const int ChunkRep = 4;
        public const int ChunkEnd = 5;

        /// <summary>
        /// Wraps the payload already written at buffer[HeaderBytes ..] into a chunk; returns the
        /// chunk's total length.
        /// </summary>
        public static int Seal(byte[] buffer, int type, int payloadLength, uint sequence)
        {
            buffer[0] = Magic0;
            buffer[1] = Magic1;
            buffer[2] = (byte)type;
            buffer[3] = (byte)payloadLength;
            buffer[4] = (byte)(payloadLength >> 8);
            buffer[5] = (byte)sequence;
            buffer[6] = (byte)(sequence >> 8);
            buffer[7] = (byte)(sequence >> 16);
            buffer[8] = (byte)(sequence >> 24);
            int end = HeaderBytes + payloadLength;
            uint crc = Crc32.Compute(buffer, 0, end);
            buffer[end] = (byte)crc;
            buffer[end + 1] = (byte)(crc >> 8);
            buffer[end + 2] = (byte)(crc >> 16);
            buffer[end + 3] = (byte)(crc >> 24);
            return end + CrcBytes;
        }

        /// <summary>
        /// Checks the chunk at buffer[offset ..] (available bytes): returns its total length, or 0
        /// when it is torn or corrupt (too short, bad magic, bad length, CRC mismatch).
        /// </summary>
        public static int Check(byte[] buffer, int offset, int available, out int type, out int payloadLength, out uint sequence)
        {
            type = 0;
            payloadLength = 0;
            sequence = 0;
            if (available < Overhead) return 0;
            if (buffer[offset] != Magic0 || buffer[offset + 1] != Magic1) return 0;
            type = buffer[offset + 2];
            payloadLength = buffer[offset + 3] | (buffer[offset + 4] << 8);
            if (payloadLength > MaxPayload || type < ChunkHeader || type > ChunkEnd) return 0;
            int total = Overhead + payloadLength;
            if (available < total) return 0;
            sequence = (uint)(buffer[offset + 5] | (buffer[offset + 6] << 8) | (buffer[offset + 7] << 16) | (buffer[offset + 8] << 24));
            uint crc = Crc32.Compute(buffer, offset, HeaderBytes + payloadLength);
            int c = offset + HeaderBytes + payloadLength;
            uint stored = (uint)(buffer[c] | (buffer[c + 1] << 8) | (buffer[c + 2] << 16) | (buffer[c + 3] << 24));
            return crc == stored ? total : 0;
        }

        /// <summary>
        /// <see cref="Check"/>, and the chunk may follow one of sequence
        /// <paramref name="lastSequence"/> (−1: none yet): its sequence is higher (a hole between
        /// them is allowed: damaged chunks are skipped) and it is the header exactly when it is 0.
        /// </summary>
        public static int CheckNext(byte[] buffer, int offset, int available, long lastSequence, out int type, out int payloadLength, out uint sequence)
        {
            int total = Check(buffer, offset, available, out type, out payloadLength, out sequence);
            if (total == 0 || sequence <= lastSequence || (sequence == 0) != (type == ChunkHeader)) return 0;
            return total;
        }

        /// <summary>
        /// Resynchronises after a damaged chunk: the offset of the first chunk in
        /// buffer[from .. from + available) that <see cref="CheckNext"/> accepts, or −1. The search
        /// stops early at a candidate (magic and a plausible length) that runs past the available
        /// bytes: <paramref name="incomplete"/> is then its offset (else −1), and a reader holding
        /// more of the file looks again from there, one without looks on from the byte after it.
        /// </summary>
        public static int FindNext(byte[] buffer, int from, int available, long lastSequence, out int incomplete)
        {
            incomplete = -1;
            int end = from + available;
            for (int i = from; i + Overhead <= end; i++)
            {
                if (buffer[i] != Magic0 || buffer[i + 1] != Magic1) continue;
                int payload = buffer[i + 3] | (buffer[i + 4] << 8);
                if (payload > MaxPayload) continue;
                if (i + Overhead + payload > end)
                {
                    incomplete = i;
                    return -1;
                }
                int type, length;
                uint sequence;
                if (CheckNext(buffer, i, end - i, lastSequence, out type, out length, out sequence) > 0) return i;
            }
            return -1;
        }
    }
}
