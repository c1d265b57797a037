using System.IO;
using System.IO.Compression;

namespace HingeSensor.Host.IO
{
    /// <summary>Opens a data file for reading, transparently un-gzipping it when it starts with the gzip magic.</summary>
    internal static class InputFile
    {
        public static Stream OpenRead(string path)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            int b0 = file.ReadByte();
            int b1 = file.ReadByte();
            file.Position = 0;
            if (b0 == 0x1f && b1 == 0x8b) return new GZipStream(file, CompressionMode.Decompress);
            return file;
        }

        /// <summary>The file name without its data extensions (.csv, .csv.gz, .gz).</summary>
        public static string Stem(string path)
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(".gz", System.StringComparison.OrdinalIgnoreCase)) name = name[..^3];
            if (name.EndsWith(".csv", System.StringComparison.OrdinalIgnoreCase)) name = name[..^4];
            return name;
        }
    }
}
