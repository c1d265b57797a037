using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Bench.Models
{
    /// <summary>
    /// The flash file system in RAM: a fixed table of files, each with a buffer allocated up front,
    /// so that writing never allocates. Space is counted like the device's LittleFS estimate:
    /// 192 KB for files, each rounded up to 4 KB blocks.
    /// </summary>
    public sealed class RamFileStore : IFileStore
    {
        private const int Files = 16;
        private const int FileCapacity = 64 * 1024;
        private const long Total = 192 * 1024;
        private readonly string[] _paths = new string[Files];
        private readonly bool[] _used = new bool[Files];
        private readonly byte[][] _data = new byte[Files][];
        private readonly int[] _lengths = new int[Files];

        public RamFileStore()
        {
            for (int i = 0; i < Files; i++)
            {
                _paths[i] = ""; // never leave a string[] element unassigned on nanoCLR
                _data[i] = new byte[FileCapacity];
            }
        }

        /// <summary>Writes refused because a file or the table was full.</summary>
        public int Refused;

        public int Length(string path)
        {
            int i = Find(path);
            return i < 0 ? -1 : _lengths[i];
        }

        public bool Append(string path, byte[] data, int offset, int count)
        {
            int i = Find(path);
            if (i < 0) i = Create(path);
            if (i < 0 || _lengths[i] + count > FileCapacity) return Refuse();
            System.Array.Copy(data, offset, _data[i], _lengths[i], count);
            _lengths[i] += count;
            return true;
        }

        public bool Truncate(string path, int length)
        {
            int i = Find(path);
            if (i < 0 || length < 0 || length > _lengths[i]) return false;
            _lengths[i] = length;
            return true;
        }

        public bool Write(string path, byte[] data, int offset, int count)
        {
            int i = Find(path);
            if (i < 0) i = Create(path);
            if (i < 0 || count > FileCapacity) return Refuse();
            System.Array.Copy(data, offset, _data[i], 0, count);
            _lengths[i] = count;
            return true;
        }

        public int Read(string path, int position, byte[] buffer, int offset, int count)
        {
            int i = Find(path);
            if (i < 0 || position < 0) return -1;
            int n = _lengths[i] - position;
            if (n > count) n = count;
            if (n <= 0) return 0;
            System.Array.Copy(_data[i], position, buffer, offset, n);
            return n;
        }

        public bool Delete(string path)
        {
            int i = Find(path);
            if (i < 0) return false;
            _used[i] = false;
            _paths[i] = "";
            _lengths[i] = 0;
            return true;
        }

        public bool Rename(string from, string to)
        {
            int i = Find(from);
            if (i < 0) return false;
            Delete(to);
            _paths[i] = to;
            return true;
        }

        public string[] List(string directory)
        {
            int n = 0;
            for (int i = 0; i < Files; i++) if (InDirectory(i, directory)) n++;
            var names = new string[n];
            n = 0;
            for (int i = 0; i < Files; i++) if (InDirectory(i, directory)) names[n++] = _paths[i].Substring(directory.Length);
            return names;
        }

        public long TotalBytes { get { return Total; } }

        public long FreeBytes
        {
            get
            {
                long used = 0;
                for (int i = 0; i < Files; i++) if (_used[i]) used += (_lengths[i] + 4095) / 4096 * 4096;
                return Total - used;
            }
        }

        private bool InDirectory(int i, string directory)
        {
            return _used[i] && _paths[i].Length > directory.Length && _paths[i].StartsWith(directory) && _paths[i].IndexOf('/', directory.Length) < 0;
        }

        // The last file found, compared by reference first: readers pass the same path string
        // again and again (the session's own), as LittleFsFileStore's open-stream cache sees them.
        private int _last;

        private int Find(string path)
        {
            if (_used[_last] && (object)_paths[_last] == (object)path) return _last;
            for (int i = 0; i < Files; i++)
            {
                if (_used[i] && _paths[i] == path)
                {
                    _last = i;
                    return i;
                }
            }
            return -1;
        }

        private int Create(string path)
        {
            for (int i = 0; i < Files; i++)
            {
                if (_used[i]) continue;
                _used[i] = true;
                _paths[i] = path;
                _lengths[i] = 0;
                return i;
            }
            return -1;
        }

        private bool Refuse()
        {
            Refused++;
            return false;
        }
    }
}
