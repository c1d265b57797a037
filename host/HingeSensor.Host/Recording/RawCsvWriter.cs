using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CsvHelper;

namespace HingeSensor.Host.Recording
{
    /// <summary>Writes raw recording format v1: "# key=value" metadata lines, the header, then one row per sample.</summary>
    public sealed class RawCsvWriter : IDisposable
    {
        private readonly CsvWriter _csv;

        public RawCsvWriter(Stream output, IEnumerable<KeyValuePair<string, string>> metadata)
        {
            _csv = CsvWriter.Create(output, CsvWriterOptions.Default with { NewLine = "\n", CommentPrefix = '#' });
            foreach (var kv in metadata) _csv.WriteComment(" " + kv.Key + "=" + kv.Value);
            _csv.WriteHeader(RawCsvFormat.Header is string[] h ? h : new List<string>(RawCsvFormat.Header).ToArray());
        }

        /// <summary>One row: time, then per sensor (head, upper, sacrum) ax ay az (m/s²) gx gy gz (rad/s).</summary>
        public void Write(double timeS, ReadOnlySpan<double> values)
        {
            if (values.Length != 18) throw new ArgumentException("a raw row has 18 values");
            _csv.WriteField(timeS, "0.#####", CultureInfo.InvariantCulture);
            foreach (double v in values) _csv.WriteField(v, "0.######", CultureInfo.InvariantCulture);
            _csv.EndRecord();
        }

        public void Dispose() => _csv.Dispose();
    }
}
