using HingeSensor.Algorithms.Protocol;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>What the device knows about one stored session.</summary>
    public sealed class SessionInfo
    {
        /// <summary><see cref="DigestState"/>: not computed yet (being recorded, or waiting for its turn).</summary>
        public const int DigestPending = 0;

        /// <summary><see cref="DigestState"/>: <see cref="Digest"/> is the SHA-256 of the file's <see cref="Length"/> bytes.</summary>
        public const int DigestReady = 1;

        /// <summary><see cref="DigestState"/>: the file could not be read to compute it.</summary>
        public const int DigestUnreadable = 2;

        public int Id;

        /// <summary>The random identity drawn when recording started (0: a format-1 session, or its header is damaged).</summary>
        public long Uid;

        /// <summary>The session file's path, built once (string building allocates).</summary>
        public string Path = "";

        /// <summary>Bytes up to the end of the last intact chunk (damaged chunks before it included).</summary>
        public int Length;

        /// <summary>Damaged bytes kept inside the file (holes the readers skip).</summary>
        public int DamagedBytes;

        public int DigestState;
        public readonly byte[] Digest = new byte[Sha256.DigestBytes];

        /// <summary>A host's digest disagreed once since boot and the file was hashed again (once is enough: flash damage since the digest was saved).</summary>
        public bool Rechecked;

        public long StartUnixMs;
        public uint StartDeviceMs;
        public int FrameRateHz = 25;
        public long LastFrameIndex = -1;
        public uint NextSequence;

        /// <summary>SessionEntry flags: closed, downloaded, recording, recovered, damaged (digest pending comes from <see cref="DigestState"/>).</summary>
        public int Flags;

        public bool Downloaded { get { return (Flags & SessionEntry.FlagDownloaded) != 0; } }
        public bool Recording { get { return (Flags & SessionEntry.FlagRecording) != 0; } }

        public int DurationS { get { return LastFrameIndex < 0 ? 0 : (int)((LastFrameIndex + 1) / FrameRateHz); } }

        /// <summary>True when the digest is known and starts with buffer[offset .. offset + 12).</summary>
        public bool DigestMatches(byte[] buffer, int offset)
        {
            if (DigestState != DigestReady) return false;
            for (int i = 0; i < SessionFormat.DigestTagBytes; i++)
                if (Digest[i] != buffer[offset + i]) return false;
            return true;
        }

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
