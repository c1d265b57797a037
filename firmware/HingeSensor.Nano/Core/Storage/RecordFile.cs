using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>
    /// A small record on flash that proves itself: 'H' kind | version u8 | length u8 | payload |
    /// CRC-32 of everything before it. Saved to "path.new" first and renamed over the old one; on
    /// the device a rename is a delete and a move, so a power cut can leave the new file with or
    /// without the old one; a complete new file wins and <see cref="Load"/> finishes the move. A
    /// record that fails any check
    /// is refused, never half-believed: the caller falls back and says so.
    /// </summary>
    public sealed class RecordFile
    {
        public const int HeaderBytes = 4;
        public const int Overhead = HeaderBytes + 4;

        /// <summary><see cref="Load"/>: no record (first boot, or never saved).</summary>
        public const int Missing = -1;

        /// <summary><see cref="Load"/>: a record is there but fails its check.</summary>
        public const int Damaged = -2;

        private readonly IFileStore _files;
        private readonly byte _kind;
        private readonly int _version;
        private readonly int _oldestVersion;

        /// <summary>The version of the record the last <see cref="Load"/> found.</summary>
        public int LoadedVersion;

        /// <summary>The record: the payload goes at <see cref="HeaderBytes"/>.</summary>
        public readonly byte[] Buffer;

        public RecordFile(IFileStore files, char kind, int version, int maxPayload) : this(files, kind, version, version, maxPayload) { }

        /// <summary>
        /// A record that also loads the versions from <paramref name="oldestVersion"/> on (the
        /// caller reads <see cref="LoadedVersion"/> and the length): what a firmware update must
        /// not lose. It always saves <paramref name="version"/>.
        /// </summary>
        public RecordFile(IFileStore files, char kind, int version, int oldestVersion, int maxPayload)
        {
            _files = files;
            _kind = (byte)kind;
            _version = version;
            _oldestVersion = oldestVersion;
            Buffer = new byte[maxPayload + Overhead];
        }

        public static string TempOf(string path) { return path + ".new"; }

        /// <summary>Seals the payload already in <see cref="Buffer"/> and saves it; true when durable.</summary>
        public bool Save(string path, int payloadLength)
        {
            Buffer[0] = (byte)'H';
            Buffer[1] = _kind;
            Buffer[2] = (byte)_version;
            Buffer[3] = (byte)payloadLength;
            int end = HeaderBytes + payloadLength;
            uint crc = Crc32.Compute(Buffer, 0, end);
            Buffer[end] = (byte)crc;
            Buffer[end + 1] = (byte)(crc >> 8);
            Buffer[end + 2] = (byte)(crc >> 16);
            Buffer[end + 3] = (byte)(crc >> 24);
            string temp = TempOf(path);
            return _files.Write(temp, Buffer, 0, end + 4) && _files.Rename(temp, path);
        }

        /// <summary>Reads the record into <see cref="Buffer"/>: its payload length, <see cref="Missing"/> or <see cref="Damaged"/>.</summary>
        public int Load(string path)
        {
            // A complete new record beside the old one: the save was cut before its rename (or,
            // on the device, between deleting the old record and moving the new one in place).
            string temp = TempOf(path);
            if (_files.Length(temp) >= 0)
            {
                int fresh = Open(temp);
                if (fresh >= 0)
                {
                    _files.Rename(temp, path);
                    return fresh;
                }
                _files.Delete(temp); // torn while being written: the old record stands
            }
            return _files.Length(path) < 0 ? Missing : Open(path);
        }

        public void Delete(string path)
        {
            _files.Delete(path);
            _files.Delete(TempOf(path));
        }

        private int Open(string path)
        {
            int length = _files.Length(path);
            if (length < Overhead || length > Buffer.Length) return Damaged;
            if (_files.Read(path, 0, Buffer, 0, length) != length) return Damaged;
            int payload = length - Overhead;
            int version = Buffer[2];
            if (Buffer[0] != (byte)'H' || Buffer[1] != _kind || version > _version || version < _oldestVersion || Buffer[3] != payload) return Damaged;
            uint stored = (uint)(Buffer[length - 4] | (Buffer[length - 3] << 8) | (Buffer[length - 2] << 16) | (Buffer[length - 1] << 24));
            if (Crc32.Compute(Buffer, 0, length - 4) != stored) return Damaged;
            LoadedVersion = version;
            return payload;
        }
    }
}
