using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>What the device knows about one stored session.</summary>
    public sealed class SessionInfo
    {
        /// <summary><see cref="DigestState"/>: not computed yet (being recorded, or waiting for its turn).</summary>
        public const int DigestPending = 0;

        /// <summary><see cref="DigestState"/>: the digest tag is the first bytes of the SHA-256 of the file's <see cref="Length"/> bytes.</summary>
        public const int DigestReady = 1;

        /// <summary><see cref="DigestState"/>: the file could not be read to compute it.</summary>
        public const int DigestUnreadable = 2;

        // Every field of an object is a 12-byte heap block on the device, and the table holds up to
        // SessionStore.MaxSessions of these for as long as the device runs: the numbers live in
        // one int array instead (72 bytes where fields took 156). The digest is kept as its tag
        // only, the 12 bytes the host and the device ever compare (a 32-byte array per entry cost
        // 48 bytes more), and the file's path is kept only while the file is in use (SessionStore.FileOf).
        private const int IdAt = 0, UidAt = 1, LengthAt = 3, DamagedAt = 4, BitsAt = 5, StartUnixAt = 6,
            StartDeviceAt = 8, LastFrameAt = 9, NextSequenceAt = 11, FlagsAt = 12, TagAt = 13,
            Slots = TagAt + SessionFormat.DigestTagBytes / 4;
        // BitsAt: digest state (bits 0-1), rechecked (bit 2), frame rate (bits 8-15).
        private const int RecheckedBit = 4, RateShift = 8;

        private readonly int[] _f = new int[Slots];

        public SessionInfo()
        {
            FrameRateHz = 25;
            LastFrameIndex = -1;
        }

        public int Id { get { return _f[IdAt]; } set { _f[IdAt] = value; } }

        /// <summary>The file's path while the file is in use (SessionStore hands it out and takes it back).</summary>
        internal string? Path;

        /// <summary>The random identity drawn when recording started (0: a format-1 session, or its header is damaged).</summary>
        public long Uid { get { return Long(UidAt); } set { SetLong(UidAt, value); } }

        /// <summary>The session file's path, built once (string building allocates).</summary>
        /// <summary>Bytes up to the end of the last intact chunk (damaged chunks before it included).</summary>
        public int Length { get { return _f[LengthAt]; } set { _f[LengthAt] = value; } }

        /// <summary>Damaged bytes kept inside the file (holes the readers skip).</summary>
        public int DamagedBytes { get { return _f[DamagedAt]; } set { _f[DamagedAt] = value; } }

        public int DigestState
        {
            get { return _f[BitsAt] & 3; }
            set { _f[BitsAt] = (_f[BitsAt] & ~3) | (value & 3); }
        }

        /// <summary>A host's digest disagreed once since boot and the file was hashed again (once is enough: flash damage since the digest was saved).</summary>
        public bool Rechecked
        {
            get { return (_f[BitsAt] & RecheckedBit) != 0; }
            set { _f[BitsAt] = value ? _f[BitsAt] | RecheckedBit : _f[BitsAt] & ~RecheckedBit; }
        }

        public long StartUnixMs { get { return Long(StartUnixAt); } set { SetLong(StartUnixAt, value); } }
        public uint StartDeviceMs { get { return (uint)_f[StartDeviceAt]; } set { _f[StartDeviceAt] = (int)value; } }

        /// <summary>Frames a second, 1-255 (a session header's byte).</summary>
        public int FrameRateHz
        {
            get { return (_f[BitsAt] >> RateShift) & 0xFF; }
            set { _f[BitsAt] = (_f[BitsAt] & ~(0xFF << RateShift)) | ((value & 0xFF) << RateShift); }
        }

        public long LastFrameIndex { get { return Long(LastFrameAt); } set { SetLong(LastFrameAt, value); } }
        public uint NextSequence { get { return (uint)_f[NextSequenceAt]; } set { _f[NextSequenceAt] = (int)value; } }

        /// <summary>SessionEntry flags: closed, downloaded, recording, recovered, damaged (digest pending comes from <see cref="DigestState"/>).</summary>
        public int Flags { get { return _f[FlagsAt]; } set { _f[FlagsAt] = value; } }

        private long Long(int at) { return (long)(uint)_f[at] | ((long)_f[at + 1] << 32); }

        private void SetLong(int at, long value)
        {
            _f[at] = (int)value;
            _f[at + 1] = (int)(value >> 32);
        }

        public bool Downloaded { get { return (Flags & SessionEntry.FlagDownloaded) != 0; } }
        public bool Recording { get { return (Flags & SessionEntry.FlagRecording) != 0; } }

        /// <summary>Whole seconds recorded; frame indexes come from the file, so a damaged one past 2³¹ at 1 Hz stays a number the list's i32 can say, not a negative one.</summary>
        public int DurationS
        {
            get
            {
                if (LastFrameIndex < 0) return 0;
                long s = (LastFrameIndex + 1) / FrameRateHz;
                return s > int.MaxValue ? int.MaxValue : (int)s;
            }
        }

        /// <summary>True when the digest is known and starts with buffer[offset .. offset + 12).</summary>
        public bool DigestMatches(byte[] buffer, int offset)
        {
            if (DigestState != DigestReady) return false;
            for (int i = 0; i < SessionFormat.DigestTagBytes; i++)
                if (TagByte(i) != buffer[offset + i]) return false;
            return true;
        }

        /// <summary>Keeps the digest's tag: the first 12 bytes of the SHA-256 at digest[offset ..].</summary>
        public void SetDigestTag(byte[] digest, int offset)
        {
            for (int k = 0; k < SessionFormat.DigestTagBytes / 4; k++)
            {
                int at = offset + 4 * k;
                _f[TagAt + k] = digest[at] | (digest[at + 1] << 8) | (digest[at + 2] << 16) | (digest[at + 3] << 24);
            }
        }

        /// <summary>Byte i (0–11) of the digest's tag.</summary>
        public byte TagByte(int i) { return (byte)(_f[TagAt + (i >> 2)] >> (8 * (i & 3))); }

        public SessionEntry ToEntry()
        {
            var e = new SessionEntry();
            e.Id = Id;
            e.StartUnixMs = StartUnixMs;
            e.Length = Length;
            e.Uid = Uid;
            e.Flags = DigestState == DigestPending ? Flags | SessionEntry.FlagDigestPending : Flags;
            e.DurationS = DurationS;
            return e;
        }
    }
}
