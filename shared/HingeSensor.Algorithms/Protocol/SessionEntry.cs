namespace HingeSensor.Algorithms.Protocol
{
    /// <summary>One recorded session as ListSessions reports it (23 bytes on the wire).</summary>
    public struct SessionEntry
    {
        public const int EncodedLength = 23;

        public const int FlagClosed = 1;
        public const int FlagDownloaded = 2;
        public const int FlagRecording = 4;
        public const int FlagRecovered = 8;

        public int Id;

        /// <summary>Wall-clock start, unix ms; 0 when the time had not been set.</summary>
        public long StartUnixMs;

        /// <summary>Bytes in the session file (all intact chunks).</summary>
        public int Length;

        /// <summary>CRC-32 of those bytes.</summary>
        public uint Crc;
        public int Flags;
        public int DurationS;

        public void Write(ref ByteWriter w)
        {
            w.U16(Id);
            w.I64(StartUnixMs);
            w.I32(Length);
            w.U32(Crc);
            w.U8(Flags);
            w.I32(DurationS);
        }

        public static SessionEntry Read(ref ByteReader r)
        {
            var e = new SessionEntry();
            e.Id = r.U16();
            e.StartUnixMs = r.I64();
            e.Length = r.I32();
            e.Crc = r.U32();
            e.Flags = r.U8();
            e.DurationS = r.I32();
            return e;
        }
    }
}
