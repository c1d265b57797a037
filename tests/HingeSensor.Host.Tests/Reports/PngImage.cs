using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using SkiaSharp;

namespace HingeSensor.Host.Tests.Reports
{
    /// <summary>Reads a PNG the way a browser would have to: signature, IHDR size, then a full decode.</summary>
    public sealed record PngImage(int Width, int Height, int DistinctColours)
    {
        private static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

        public static PngImage Read(byte[] png)
        {
            if (png.Length < 33 || !png.AsSpan(0, 8).SequenceEqual(Signature)) throw new FormatException("not a PNG: bad signature");
            // The first chunk must be IHDR: length 13, type, then width and height big-endian.
            if (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(8)) != 13 || System.Text.Encoding.ASCII.GetString(png, 12, 4) != "IHDR")
                throw new FormatException("not a PNG: no IHDR first");
            int width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
            int height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
            using SKBitmap bitmap = SKBitmap.Decode(png) ?? throw new FormatException("PNG does not decode");
            if (bitmap.Width != width || bitmap.Height != height) throw new FormatException("decoded size differs from IHDR");
            var colours = new HashSet<uint>();
            foreach (SKColor c in bitmap.Pixels) colours.Add((uint)c);
            return new PngImage(width, height, colours.Count);
        }
    }
}
