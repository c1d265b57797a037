using System.Collections.Generic;
using System.IO;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>Passes calls through and remembers every append that completed: what must be durable.</summary>
    public sealed class LoggingFileStore : IFileStore
    {
        private readonly IFileStore _inner;
        public readonly Dictionary<string, MemoryStream> Appended = new();

        public LoggingFileStore(IFileStore inner) { _inner = inner; }

        public bool Append(string path, byte[] data, int offset, int count)
        {
            bool ok = _inner.Append(path, data, offset, count);
            if (ok)
            {
                if (!Appended.TryGetValue(path, out var s)) Appended[path] = s = new MemoryStream();
                s.Write(data, offset, count);
            }
            return ok;
        }

        public int Length(string path) => _inner.Length(path);
        public bool Write(string path, byte[] data, int offset, int count) => _inner.Write(path, data, offset, count);
        public int Read(string path, int position, byte[] buffer, int offset, int count) => _inner.Read(path, position, buffer, offset, count);
        public bool Delete(string path) => _inner.Delete(path);
        public bool Truncate(string path, int length) => _inner.Truncate(path, length);
        public bool Rename(string from, string to) => _inner.Rename(from, to);
        public string[] List(string directory) => _inner.List(directory);
        public long FreeBytes => _inner.FreeBytes;
        public long TotalBytes => _inner.TotalBytes;
    }
}
