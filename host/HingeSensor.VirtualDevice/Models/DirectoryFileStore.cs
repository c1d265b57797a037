using System;
using System.IO;
using System.Linq;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.VirtualDevice.Models
{
    /// <summary>
    /// The virtual device's flash as real files in a directory, so that it outlives the process:
    /// kill `hinge virtual-device` (a power cut) and start it again, and it boots from what was
    /// written — a torn last append included, which the firmware's recovery must handle. Same
    /// space accounting as <see cref="FlashModel"/> (4 KB blocks, tiny files inline).
    /// </summary>
    public sealed class DirectoryFileStore : IFileStore
    {
        private readonly string _root;
        private readonly long _capacity;

        public DirectoryFileStore(string root, long capacityBytes = 256 * 1024)
        {
            _root = Path.GetFullPath(root);
            _capacity = capacityBytes;
            Directory.CreateDirectory(_root);
        }

        private string Map(string path) => Path.Combine(_root, path.TrimStart('/').Replace('/', Path.DirectorySeparatorChar));

        public long TotalBytes => _capacity;

        public long FreeBytes
        {
            get
            {
                long used = FlashModel.MetadataBlocks * (long)FlashModel.BlockSize;
                foreach (string f in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
                {
                    long len = new FileInfo(f).Length;
                    if (len > FlashModel.InlineBytes) used += (len + FlashModel.BlockSize - 1) / FlashModel.BlockSize * FlashModel.BlockSize;
                }
                return Math.Max(0, _capacity - used);
            }
        }

        public int Length(string path)
        {
            var fi = new FileInfo(Map(path));
            return fi.Exists ? (int)fi.Length : -1;
        }

        public bool Append(string path, byte[] data, int offset, int count)
        {
            try
            {
                string p = Map(path);
                Directory.CreateDirectory(Path.GetDirectoryName(p)!);
                using var f = new FileStream(p, FileMode.Append, FileAccess.Write, FileShare.Read);
                f.Write(data, offset, count);
                f.Flush(true);
                return true;
            }
            catch (IOException) { return false; }
        }

        public bool Write(string path, byte[] data, int offset, int count)
        {
            try
            {
                string p = Map(path);
                Directory.CreateDirectory(Path.GetDirectoryName(p)!);
                using var f = new FileStream(p, FileMode.Create, FileAccess.Write, FileShare.Read);
                f.Write(data, offset, count);
                f.Flush(true);
                return true;
            }
            catch (IOException) { return false; }
        }

        public int Read(string path, int position, byte[] buffer, int offset, int count)
        {
            try
            {
                using var f = new FileStream(Map(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                f.Position = position;
                int total = 0;
                while (total < count)
                {
                    int n = f.Read(buffer, offset + total, count - total);
                    if (n == 0) break;
                    total += n;
                }
                return total;
            }
            catch (IOException) { return -1; }
        }

        public bool Delete(string path)
        {
            string p = Map(path);
            if (!File.Exists(p)) return false;
            File.Delete(p);
            return true;
        }

        public bool Truncate(string path, int length)
        {
            try
            {
                using var f = new FileStream(Map(path), FileMode.Open, FileAccess.Write, FileShare.Read);
                if (length < 0 || length > f.Length) return false;
                f.SetLength(length);
                f.Flush(true);
                return true;
            }
            catch (IOException) { return false; }
        }

        public bool Rename(string from, string to)
        {
            try
            {
                File.Move(Map(from), Map(to), overwrite: true);
                return true;
            }
            catch (IOException) { return false; }
        }

        public string[] List(string directory)
        {
            string d = Map(directory);
            if (!Directory.Exists(d)) return Array.Empty<string>();
            return Directory.GetFiles(d).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;
        }
    }
}
