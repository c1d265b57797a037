using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.IO.Hashing;

namespace HingeSensor.Host.IO
{
    /// <summary>
    /// A gzip file, decompressed and held to its trailer: GZipStream alone ends quietly where a file
    /// was cut short, which would make a shorter recording of it without a word. At the end the
    /// bytes read must have the CRC-32 and the length the trailer records (one gzip member, as gzip
    /// and pigz write). Damage or a short file is an <see cref="InvalidDataException"/> saying so.
    /// </summary>
    internal sealed class CheckedGZipStream : Stream
    {
        // Header (10 bytes at least) and trailer (CRC-32, length mod 2^32).
        private const int MinimumLength = 10 + 8;

        private readonly FileStream _file;
        private readonly GZipStream _gzip;
        private readonly Crc32 _crc = new();
        private readonly uint _expectedCrc, _expectedLength;
        private long _length;
        private bool _checked;

        public CheckedGZipStream(FileStream file)
        {
            _file = file;
            if (file.Length < MinimumLength)
                throw new InvalidDataException($"a gzip file of {file.Length} bytes is too short to hold a gzip header and trailer: it was cut short");
            Span<byte> trailer = stackalloc byte[8];
            file.Position = file.Length - 8;
            file.ReadExactly(trailer);
            _expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            _expectedLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
            file.Position = 0;
            _gzip = new GZipStream(file, CompressionMode.Decompress);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            try { n = _gzip.Read(buffer); }
            catch (InvalidDataException e) { throw new InvalidDataException($"the gzip data is damaged after {_length} decompressed bytes ({e.Message})", e); }
            if (n > 0)
            {
                _crc.Append(buffer[..n]);
                _length += n;
            }
            else if (!_checked && buffer.Length > 0)
            {
                _checked = true;
                if ((uint)_length != _expectedLength || _crc.GetCurrentHashAsUInt32() != _expectedCrc)
                    throw new InvalidDataException($"the gzip data ends after {_length} decompressed bytes without the length and checksum its last 8 bytes should hold: the file was cut short or is damaged");
            }
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gzip.Dispose();
                _file.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
