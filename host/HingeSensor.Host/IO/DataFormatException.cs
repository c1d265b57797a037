using System;

namespace HingeSensor.Host.IO
{
    /// <summary>Malformed input data: names the file, the 1-based line and what is wrong with it.</summary>
    public sealed class DataFormatException : Exception
    {
        public DataFormatException(string file, long line, string reason)
            : base(line > 0 ? $"{file}:{line}: {reason}" : $"{file}: {reason}")
        {
            File = file;
            Line = line;
            Reason = reason;
        }

        public string File { get; }
        public long Line { get; }
        public string Reason { get; }
    }
}
