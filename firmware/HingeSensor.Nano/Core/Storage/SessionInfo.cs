using HingeSensor.Algorithms.Protocol;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>What the device knows about one stored session.</summary>
    public sealed class SessionInfo
    {
        public int Id;

        /// <summary>The session file's path, built once (string building allocates).</summary>
        public string Path = "";

        /// <summary>Bytes of intact chunks.</summary>
        public int Length;

        /// <summary>Running CRC-32 state over those bytes (finish it for the value).</summary>
        public uint CrcState = Crc32.Start;

        public long StartUnixMs;
        public uint StartDeviceMs;
        public int FrameRateHz = 25;
        public long LastFrameIndex = -1;
        public uint NextSequence;

        /// <summary>SessionEntry flags: closed, downloaded, recording, recovered.</summary>
        public int Flags;

        public uint Crc { get { return Crc32.Finish(CrcState); } }
        public bool Downloaded { get { return (Flags & SessionEntry.FlagDownloaded) != 0; } }
        public bool Recording { get { return (Flags & SessionEntry.FlagRecording) != 0; } }

        public int DurationS { get { return LastFrameIndex < 0 ? 0 : (int)((LastFrameIndex + 1) / FrameRateHz); } }

        public SessionEntry ToEntry()
        {
            var e = new SessionEntry();
            e.Id = Id;
            e.StartUnixMs = StartUnixMs;
            e.Length = Length;
            e.Crc = Crc;
            e.Flags = Flags;
            e.DurationS = DurationS;
            return e;
        }
    }
}
