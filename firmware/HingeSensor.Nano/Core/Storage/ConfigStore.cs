using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>
    /// The device configuration on flash: 'H' 'C' | length u8 | record | crc32. Written to a temp
    /// file first and then renamed over the old one. On the device a rename is a delete and a move
    /// (not atomic), so a power cut can leave only the temp: a complete, valid temp is then taken
    /// (and the rename finished). A missing file means defaults; a corrupt or invalid one means
    /// defaults and a flag the host sees in the status (<see cref="WasReset"/>).
    /// </summary>
    public sealed class ConfigStore
    {
        private readonly IFileStore _files;
        private readonly string _path;
        private readonly string _temp;
        private readonly byte[] _buffer = new byte[DeviceConfig.MaxEncodedLength + 8];

        public ConfigStore(IFileStore files, string directory)
        {
            _files = files;
            _path = directory + "config.bin";
            _temp = directory + "config.tmp";
        }

        /// <summary>The stored config was unreadable and defaults are in force.</summary>
        public bool WasReset;

        /// <summary>Loads into <paramref name="into"/>; defaults when missing or bad.</summary>
        public void Load(DeviceConfig into)
        {
            WasReset = false;
            if (_files.Length(_path) < 0)
            {
                // A save interrupted between the delete and the move leaves only the temp.
                if (TryLoad(_temp, into))
                {
                    _files.Rename(_temp, _path);
                    return;
                }
                into.CopyFrom(new DeviceConfig());
                return;
            }
            if (TryLoad(_path, into)) return;
            into.CopyFrom(new DeviceConfig());
            WasReset = true;
        }

        private bool TryLoad(string path, DeviceConfig into)
        {
            int length = _files.Length(path);
            if (length < 0) return false;
            int n = length <= _buffer.Length ? _files.Read(path, 0, _buffer, 0, length) : -1;
            return n == length && n >= 7 && _buffer[0] == (byte)'H' && _buffer[1] == (byte)'C' && _buffer[2] == n - 7
                && Crc32.Compute(_buffer, 0, n - 4) == ReadU32(_buffer, n - 4)
                && DeviceConfig.Decode(_buffer, 3, n - 7, into) == ConfigField.None;
        }

        public bool Save(DeviceConfig config)
        {
            int len = config.Encode(_buffer, 3);
            _buffer[0] = (byte)'H';
            _buffer[1] = (byte)'C';
            _buffer[2] = (byte)len;
            uint crc = Crc32.Compute(_buffer, 0, 3 + len);
            _buffer[3 + len] = (byte)crc;
            _buffer[4 + len] = (byte)(crc >> 8);
            _buffer[5 + len] = (byte)(crc >> 16);
            _buffer[6 + len] = (byte)(crc >> 24);
            if (!_files.Write(_temp, _buffer, 0, len + 7)) return false;
            if (!_files.Rename(_temp, _path)) return false;
            WasReset = false;
            return true;
        }

        private static uint ReadU32(byte[] b, int at)
        {
            return (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));
        }
    }
}
