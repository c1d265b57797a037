using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.VirtualDevice.Models
{
    /// <summary>The power went while the flash was being written: every later operation fails like this.</summary>
    public sealed class PowerLostException : Exception
    {
        public PowerLostException() : base("power lost") { }
    }

    /// <summary>
    /// The ESP32's internal LittleFS drive as the firmware sees it: files in 4 KB blocks on a small
    /// partition (256 KB by default), every operation open → write → close. Power can be cut after a
    /// chosen number of written bytes: the write under way is then torn (a random prefix of it
    /// survives — harsher than LittleFS, which keeps the old state) or lost whole, and every later
    /// call throws <see cref="PowerLostException"/> until <see cref="Reboot"/>. Rename, delete and
    /// truncate are atomic, as LittleFS makes them. Files keep preallocated buffers so appends do
    /// not allocate.
    /// </summary>
    public sealed class FlashModel : IFileStore
    {
        public const int BlockSize = 4096;

        private sealed class FileData
        {
            public byte[] Bytes = Array.Empty<byte>();
            public int Length;
        }

        private readonly Dictionary<string, FileData> _files = new(StringComparer.Ordinal);
        private readonly long _capacity;
        private readonly Random _rng;
        private long _cutAfterBytes = -1;
        private bool _powerLost;

        public FlashModel(long capacityBytes = 256 * 1024, int seed = 1)
        {
            _capacity = capacityBytes;
            _rng = new Random(seed);
        }

        /// <summary>When the cut comes mid-write: true keeps a random prefix (torn), false keeps nothing.</summary>
        public bool TornWrites = true;

        /// <summary>
        /// false: a rename over an existing file is a delete then a move, and the power can go in
        /// between (what nanoFramework's File.Move does on the device). true: atomic, like LittleFS's own rename.
        /// </summary>
        public bool AtomicRename = true;

        /// <summary>Makes writes fail (a worn or faulty flash), without losing power.</summary>
        public bool FailWrites;

        public bool PowerLost => _powerLost;

        /// <summary>Cuts the power once this many more bytes have been written.</summary>
        public void CutPowerAfter(long bytes) { _cutAfterBytes = bytes; }

        /// <summary>Power is back: the files are what was durable at the cut.</summary>
        public void Reboot()
        {
            _powerLost = false;
            _cutAfterBytes = -1;
        }

        public long TotalBytes => _capacity;

        public long FreeBytes
        {
            get
            {
                long used = MetadataBlocks * BlockSize;
                foreach (FileData f in _files.Values) used += Blocks(f.Length) * BlockSize;
                return Math.Max(0, _capacity - used);
            }
        }

        /// <summary>The directory's metadata pair (LittleFS keeps two blocks for it).</summary>
        public const int MetadataBlocks = 2;

        /// <summary>LittleFS stores files this small inline in the directory's metadata.</summary>
        public const int InlineBytes = 256;

        // Whole blocks per file, none for an inline one.
        private static long Blocks(int length) => length <= InlineBytes ? 0 : (length + BlockSize - 1) / BlockSize;

        public IReadOnlyCollection<string> Paths => _files.Keys;

        public byte[] Contents(string path) => _files.TryGetValue(path, out FileData? f) ? f.Bytes.AsSpan(0, f.Length).ToArray() : Array.Empty<byte>();

        private void Check()
        {
            if (_powerLost) throw new PowerLostException();
        }

        public int Length(string path)
        {
            Check();
            return _files.TryGetValue(path, out FileData? f) ? f.Length : -1;
        }

        public bool Append(string path, byte[] data, int offset, int count)
        {
            Check();
            if (FailWrites) return false;
            _files.TryGetValue(path, out FileData? f);
            int length = f?.Length ?? 0;
            if (FreeBytes < (Blocks(length + count) - Blocks(length)) * BlockSize) return false;
            f ??= _files[path] = new FileData();
            int kept = Cut(count);
            Ensure(f, length + kept);
            Array.Copy(data, offset, f.Bytes, length, kept);
            f.Length = length + kept;
            if (kept < count) throw new PowerLostException();
            return true;
        }

        public bool Write(string path, byte[] data, int offset, int count)
        {
            Check();
            if (FailWrites) return false;
            _files.TryGetValue(path, out FileData? old);
            long freeAfterDelete = FreeBytes + (old != null ? Blocks(old.Length) * BlockSize : 0);
            if (freeAfterDelete < Blocks(count) * BlockSize) return false;
            int kept = Cut(count);
            if (kept < count && !TornWrites) throw new PowerLostException(); // the old file stays as it was
            var f = old ?? new FileData();
            Ensure(f, count);
            Array.Copy(data, offset, f.Bytes, 0, kept);
            f.Length = kept;
            _files[path] = f;
            if (kept < count) throw new PowerLostException();
            return true;
        }

        public int Read(string path, int position, byte[] buffer, int offset, int count)
        {
            Check();
            if (!_files.TryGetValue(path, out FileData? f) || position < 0) return -1;
            int n = Math.Max(0, Math.Min(count, f.Length - position));
            Array.Copy(f.Bytes, position, buffer, offset, n);
            return n;
        }

        public bool Delete(string path)
        {
            Check();
            return _files.Remove(path);
        }

        /// <summary>
        /// LittleFS's truncate: the new length is committed in one metadata write. A power cut
        /// that lands on it leaves the old length or the new one (either, at random), never a
        /// mixture, and the power is then gone.
        /// </summary>
        public bool Truncate(string path, int length)
        {
            Check();
            if (FailWrites) return false;
            if (!_files.TryGetValue(path, out FileData? f) || length < 0 || length > f.Length) return false;
            if (Cut(1) == 0)
            {
                if (_rng.Next(2) == 0) f.Length = length;
                throw new PowerLostException();
            }
            f.Length = length;
            return true;
        }

        public bool Rename(string from, string to)
        {
            Check();
            if (!_files.ContainsKey(from)) return false;
            if (!AtomicRename && _files.Remove(to) && Cut(1) == 0) throw new PowerLostException(); // cut between delete and move
            _files.Remove(from, out FileData? f);
            _files[to] = f!;
            return true;
        }

        public string[] List(string directory)
        {
            Check();
            return _files.Keys.Where(k => k.StartsWith(directory, StringComparison.Ordinal) && k.IndexOf('/', directory.Length) < 0)
                .Select(k => k[directory.Length..]).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        }

        // How many of count bytes get written before the power goes.
        private int Cut(int count)
        {
            if (_cutAfterBytes < 0) return count;
            if (_cutAfterBytes >= count)
            {
                _cutAfterBytes -= count;
                return count;
            }
            int kept = TornWrites ? (int)_cutAfterBytes : 0;
            if (TornWrites && kept > 0 && count > 1) kept = _rng.Next(kept + 1);
            _cutAfterBytes = -1;
            _powerLost = true;
            return kept;
        }

        private void Ensure(FileData f, int length)
        {
            if (f.Bytes.Length >= length) return;
            int size = Math.Max(length, Math.Max(BlockSize, f.Bytes.Length * 2));
            var bigger = new byte[size];
            Array.Copy(f.Bytes, bigger, f.Length);
            f.Bytes = bigger;
        }

        /// <summary>Grows every file's buffer up front so that later appends never allocate (allocation tests).</summary>
        public void Preallocate(string path, int bytes)
        {
            if (!_files.TryGetValue(path, out FileData? f)) _files[path] = f = new FileData();
            Ensure(f, bytes);
        }
    }
}
