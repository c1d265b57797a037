using System.IO;

namespace HingeSensor.Host.IO
{
    /// <summary>
    /// Opens a data file for reading, transparently un-gzipping it when it starts with the gzip
    /// magic. What cannot be read is a <see cref="DataFormatException"/> naming the file (and the
    /// line, where one applies), never another exception.
    /// </summary>
    public static class InputFile
    {
        public static Stream OpenRead(string path)
        {
            if (Directory.Exists(path)) throw new DataFormatException(path, 0, "is a directory; give a recording file (CSV, plain or gzip)");
            if (!File.Exists(path)) throw new DataFormatException(path, 0, "no such file");
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            int b0 = file.ReadByte();
            int b1 = file.ReadByte();
            file.Position = 0;
            if (b0 != 0x1f || b1 != 0x8b) return file;
            try { return new CheckedGZipStream(file); }
            catch (InvalidDataException e)
            {
                file.Dispose();
                throw new DataFormatException(path, 0, e.Message);
            }
        }

        /// <summary>The next line, with a damaged gzip stream reported at the line being read (1-based).</summary>
        public static string? ReadLine(TextReader reader, string path, long line)
        {
            try { return reader.ReadLine(); }
            catch (InvalidDataException e) { throw new DataFormatException(path, line, e.Message); }
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
