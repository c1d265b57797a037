namespace HingeSensor.Protocol
{
    /// <summary>One recorded session as ListSessions reports it (27 bytes on the wire, 7 compact).</summary>
    public struct SessionEntry
    {
        public const int EncodedLength = 27;

        /// <summary>Below MTU 39 a full entry does not fit a page: id, length and flags only.</summary>
        public const int CompactLength = 7;

        public const int FlagClosed = 1;
        public const int FlagDownloaded = 2;
        public const int FlagRecording = 4;
        public const int FlagRecovered = 8;

        /// <summary>Chunks inside the file fail their check (flash damage): kept as they are, the rest is intact.</summary>
        public const int FlagDamaged = 16;

        /// <summary>
        /// The device is still computing the session's digest (while it records, and for a while
        /// after a reboot that found no digest record of it): MarkDownloaded and a non-forced
        /// EraseSession answer InvalidState until this clears.
        /// </summary>
        public const int FlagDigestPending = 32;

        public int Id;

        /// <summary>Wall-clock start, unix ms; 0 when the time had not been set.</summary>
        public long StartUnixMs;

        /// <summary>Bytes in the session file, up to the end of its last intact chunk.</summary>
        public int Length;

        /// <summary>The random identity drawn when recording started; 0 if unknown (format 1, damaged header, compact entry).</summary>
        public long Uid;
        public int Flags;
        public int DurationS;

        public void Write(ref ByteWriter w)
        {
            w.U16(Id);
            w.I64(StartUnixMs);
            w.I32(Length);
            w.I64(Uid);
            w.U8(Flags);
            w.I32(DurationS);
        }

        public static SessionEntry Read(ref ByteReader r)
        {
            var e = new SessionEntry();
            e.Id = r.U16();
            e.StartUnixMs = r.I64();
            e.Length = r.I32();
            e.Uid = r.I64();
            e.Flags = r.U8();
            e.DurationS = r.I32();
            return e;
        }

        public void WriteCompact(ref ByteWriter w)
        {
            w.U16(Id);
            w.I32(Length);
            w.U8(Flags);
        }

        public static SessionEntry ReadCompact(ref ByteReader r)
        {
            var e = new SessionEntry();
            e.Id = r.U16();
            e.Length = r.I32();
            e.Flags = r.U8();
            return e;
        }
    }
}
