using System;
using System.IO;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// The core's <see cref="IFileStore"/> on the ESP32's internal LittleFS drive "I:". Every write
    /// opens, writes and closes, because LittleFS makes written data durable when the file is
    /// closed (a write happens about once a second). Reads come every loop pass while a session
    /// downloads and while the digester hashes one, so the two most recently read files stay open
    /// for reading: opening a FileStream allocates (the stream, its native handle, path strings),
    /// reading an open one does not (System.IO.FileSystem 1.1.93: FileStream.Read goes straight to
    /// NativeFileStream.Read). A write, truncation, rename or delete of a file closes its reader
    /// first, so a reader never serves a stale view. Failures come back as false / −1, never as
    /// exceptions.
    ///
    /// What the platform does and does not give (nanoFramework System.IO.FileSystem 1.1.93 and the
    /// ESP32 LittleFS driver in nf-interpreter):
    /// - FileStream can seek on LittleFS (the driver maps Seek to fseek), so Read(position) seeks.
    /// - FileStream.SetLength works on a stream opened for writing (it needs CanWrite and CanSeek)
    ///   and goes to NativeFileStream.SetLength → the ESP32 LittleFS driver's SetLength
    ///   (nf-interpreter targets/ESP32/_littlefs/littlefs_FS_Driver.cpp: ftruncate on the IDF VFS,
    ///   lfs_file_truncate underneath), committed when the file is closed. Truncate uses it.
    /// - File.Move refuses an existing target (PathAlreadyExists) even though LittleFS's own rename
    ///   would replace it atomically, so Rename deletes the target first: a power cut between the
    ///   two leaves the source file and no target (see README, "Storage").
    /// - DriveInfo.TotalSize is −1 on ESP32 LittleFS (GetSizeInfo is not implemented) and there is
    ///   no free-space call at all, so space is estimated here: the partition size minus a reserve,
    ///   minus every file rounded up to whole blocks, kept up to date as this class writes.
    /// </summary>
    public sealed class LittleFsFileStore : IFileStore
    {
        /// <summary>The "config" LittleFS partition of nanoFramework's 4 MB ESP32 layout (partitions_nanoclr_4mb.csv: 0x40000).</summary>
        public const long PartitionBytes = 0x40000;

        /// <summary>LittleFS block = the flash erase sector.</summary>
        public const int BlockBytes = 4096;

        /// <summary>
        /// Never counted as free: the superblock pair, directory metadata pairs, nanoFramework's own
        /// configuration files on the same partition, and the spare blocks LittleFS needs for
        /// copy-on-write (a completely full LittleFS cannot even delete).
        /// </summary>
        public const long ReservedBytes = 16 * BlockBytes;

        private readonly object _lock = new object();
        private readonly long _total;
        private long _used;

        // The open readers: a download and the digester read different sessions at once.
        private const int Readers = 2;
        private readonly FileStream?[] _readers = new FileStream?[Readers];
        private readonly string[] _readerPaths = new string[Readers];
        private int _oldestReader;

        /// <param name="root">The drive root to account for, "I:\\".</param>
        public LittleFsFileStore(string root)
        {
            for (int i = 0; i < Readers; i++) _readerPaths[i] = ""; // never leave a string[] element unassigned on nanoCLR
            long reported = 0;
            try { reported = new DriveInfo(root).TotalSize; } catch (Exception) { } // −1 on ESP32 LittleFS today
            _total = (reported > 0 ? reported : PartitionBytes) - ReservedBytes;
            _used = Usage(root);
        }

        public long TotalBytes { get { return _total; } }

        public long FreeBytes
        {
            get
            {
                lock (_lock) return _used >= _total ? 0 : _total - _used;
            }
        }

        public int Length(string path)
        {
            try
            {
                if (!File.Exists(path)) return -1;
                return (int)new FileInfo(path).Length;
            }
            catch (Exception)
            {
                return -1;
            }
        }

        public bool Append(string path, byte[] data, int offset, int count)
        {
            try
            {
                CloseReader(path);
                long before;
                using (var fs = new FileStream(path, FileMode.Append, FileAccess.Write))
                {
                    before = fs.Position; // Append opens at the end
                    fs.Write(data, offset, count);
                } // closed here: durable from now on
                Account(before, before + count);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        public bool Write(string path, byte[] data, int offset, int count)
        {
            try
            {
                CloseReader(path);
                int before = Length(path);
                using (var fs = new FileStream(path, FileMode.Create, FileAccess.Write))
                {
                    fs.Write(data, offset, count);
                }
                Account(before, count);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        public int Read(string path, int position, byte[] buffer, int offset, int count)
        {
            lock (_lock)
            {
                try
                {
                    FileStream? fs = Reader(path);
                    if (fs == null) return -1;
                    if (position > fs.Length) return 0;
                    fs.Seek(position, SeekOrigin.Begin);
                    int total = 0;
                    while (total < count)
                    {
                        int n = fs.Read(buffer, offset + total, count - total);
                        if (n <= 0) break;
                        total += n;
                    }
                    return total;
                }
                catch (Exception)
                {
                    CloseReaderLocked(path); // a failed stream is not kept
                    return -1;
                }
            }
        }

        // The open reader of path, opening it in place of the older one; null if there is no such file.
        private FileStream? Reader(string path)
        {
            for (int i = 0; i < Readers; i++)
                if (_readers[i] != null && ((object)_readerPaths[i] == (object)path || _readerPaths[i] == path)) return _readers[i];
            if (!File.Exists(path)) return null;
            int slot = _oldestReader;
            _oldestReader = (slot + 1) % Readers;
            FileStream? old = _readers[slot];
            _readers[slot] = null;
            _readerPaths[slot] = "";
            if (old != null) old.Dispose();
            var fs = new FileStream(path, FileMode.Open, FileAccess.Read);
            _readers[slot] = fs;
            _readerPaths[slot] = path;
            return fs;
        }

        private void CloseReader(string path)
        {
            lock (_lock) CloseReaderLocked(path);
        }

        private void CloseReaderLocked(string path)
        {
            for (int i = 0; i < Readers; i++)
            {
                if (_readers[i] == null || _readerPaths[i] != path) continue;
                FileStream? fs = _readers[i];
                _readers[i] = null;
                _readerPaths[i] = "";
                try { fs!.Dispose(); } catch (Exception) { }
            }
        }

        /// <summary>True when the file is gone afterwards (deleting a missing file succeeds).</summary>
        public bool Delete(string path)
        {
            try
            {
                CloseReader(path);
                int before = Length(path);
                if (before < 0) return true;
                File.Delete(path);
                Account(before, -1);
                return !File.Exists(path);
            }
            catch (Exception)
            {
                return false;
            }
        }

        public bool Truncate(string path, int length)
        {
            try
            {
                CloseReader(path);
                int before = Length(path);
                if (before < 0 || length < 0 || length > before) return false;
                using (var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
                {
                    fs.SetLength(length);
                } // closed here: the shorter file is committed
                Account(before, length);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        public bool Rename(string from, string to)
        {
            try
            {
                CloseReader(from);
                CloseReader(to);
                if (!File.Exists(from)) return false;
                int replaced = Length(to);
                if (replaced >= 0)
                {
                    File.Delete(to); // File.Move will not replace (see the class comment)
                    Account(replaced, -1);
                }
                File.Move(from, to);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        public string[] List(string directory)
        {
            try
            {
                if (!Directory.Exists(Trim(directory))) return new string[0];
                string[] paths = Directory.GetFiles(directory); // full paths
                for (int i = 0; i < paths.Length; i++) paths[i] = Path.GetFileName(paths[i]);
                return paths;
            }
            catch (Exception)
            {
                return new string[0];
            }
        }

        /// <summary>Creates a directory (and its parents) if missing; false if it cannot exist.</summary>
        public static bool EnsureDirectory(string directory)
        {
            try
            {
                string d = Trim(directory);
                if (!Directory.Exists(d)) Directory.CreateDirectory(d);
                return Directory.Exists(d);
            }
            catch (Exception)
            {
                return false;
            }
        }

        // Blocks a file of this many bytes takes, conservatively: at least one, even for small
        // files LittleFS inlines into the directory metadata. −1 bytes = no file.
        private static long Blocks(long bytes)
        {
            if (bytes < 0) return 0;
            return bytes == 0 ? 1 : (bytes + BlockBytes - 1) / BlockBytes;
        }

        private void Account(long beforeBytes, long afterBytes)
        {
            lock (_lock) _used += (Blocks(afterBytes) - Blocks(beforeBytes)) * BlockBytes;
        }

        // Walks the whole drive once at start-up: every file counts, ours or not.
        private static long Usage(string directory)
        {
            long used = 0;
            try
            {
                string[] files = Directory.GetFiles(directory);
                for (int i = 0; i < files.Length; i++) used += Blocks(new FileInfo(files[i]).Length) * BlockBytes;
                string[] dirs = Directory.GetDirectories(directory);
                for (int i = 0; i < dirs.Length; i++) used += Usage(dirs[i]);
            }
            catch (Exception)
            {
                // An unreadable entry counts as nothing; the reserve absorbs the error.
            }
            return used;
        }

        // "I:\\hinge\\" → "I:\\hinge": Exists/CreateDirectory want no trailing separator.
        private static string Trim(string directory)
        {
            return directory.Length > 3 ? directory.TrimEnd('\\', '/') : directory;
        }
    }
}
