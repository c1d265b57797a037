using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using HingeSensor.TestSupport;

namespace HingeSensor.Algorithms.Tests.WorkedExample
{
    /// <summary>
    /// Reads docs/protocol.md §13 the way a person does: a fenced block is found by the words that
    /// introduce it, a message by its arrow, its bytes as the run of two-digit hex tokens that
    /// follows (continuation lines included) up to the first word that is not one.
    /// </summary>
    public sealed class WorkedExampleDoc
    {
        private const string Heading = "## 13 Worked example (hex)";

        public WorkedExampleDoc(string markdown)
        {
            int start = markdown.IndexOf("\n" + Heading, StringComparison.Ordinal);
            if (start < 0) throw new InvalidOperationException($"docs/protocol.md has no '{Heading}'");
            int end = markdown.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            Text = end < 0 ? markdown.Substring(start) : markdown.Substring(start, end - start);
        }

        public static WorkedExampleDoc Load()
        {
            return new WorkedExampleDoc(File.ReadAllText(RepositoryPaths.InRepo("docs", "protocol.md")));
        }

        /// <summary>§13 from its heading to the next one.</summary>
        public string Text { get; }

        /// <summary>The lines of the first fenced block after the first line containing <paramref name="intro"/>.</summary>
        public string[] BlockAfter(string intro)
        {
            int at = Text.IndexOf(intro, StringComparison.Ordinal);
            if (at < 0) throw new InvalidOperationException($"§13 has no '{intro}'");
            string[] lines = Text.Substring(at).Split('\n');
            int open = Array.FindIndex(lines, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
            int close = Array.FindIndex(lines, open + 1, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
            if (open < 0 || close < 0) throw new InvalidOperationException($"no fenced block after '{intro}'");
            return lines.Skip(open + 1).Take(close - open - 1).ToArray();
        }

        /// <summary>
        /// The bytes of the <paramref name="nth"/> message in <paramref name="block"/> whose line
        /// starts with <paramref name="prefix"/> (e.g. "<- SessionData"): the hex after the prefix,
        /// and on following indented lines while they start with hex.
        /// </summary>
        public static byte[] Message(string[] block, string prefix, int nth = 0)
        {
            int[] hits = Enumerable.Range(0, block.Length).Where(i => Collapse(block[i]).StartsWith(prefix, StringComparison.Ordinal)).ToArray();
            if (hits.Length <= nth) throw new InvalidOperationException($"no message #{nth} '{prefix}' in block");
            int line = hits[nth];
            var bytes = new List<byte>();
            bool more = HexRun(Collapse(block[line]).Substring(prefix.Length), bytes);
            while (more && ++line < block.Length && block[line].StartsWith(" ", StringComparison.Ordinal) && StartsWithHex(block[line]))
                more = HexRun(block[line], bytes);
            return bytes.ToArray();
        }

        /// <summary>
        /// A hex dump ("0000  01 00 …", 16 bytes a row; a row of "…" stands for zeros up to the
        /// next row's offset) as the bytes it shows.
        /// </summary>
        public static byte[] Dump(string[] block)
        {
            var bytes = new List<byte>();
            foreach (string line in block)
            {
                string[] t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (t.Length < 2 || t[0].Length != 4 || !int.TryParse(t[0], NumberStyles.HexNumber, null, out int offset)) continue;
                if (offset < bytes.Count) throw new InvalidOperationException($"dump row {t[0]} goes backwards");
                while (bytes.Count < offset) bytes.Add(0);
                foreach (string h in t.Skip(1)) bytes.Add(byte.Parse(h, NumberStyles.HexNumber));
            }
            return bytes.ToArray();
        }

        /// <summary>Parses hex tokens of <paramref name="s"/> into <paramref name="into"/>; true when the line held nothing else (the message may go on).</summary>
        private static bool HexRun(string s, List<byte> into)
        {
            foreach (string t in s.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!IsHexByte(t)) return false;
                into.Add(byte.Parse(t, NumberStyles.HexNumber));
            }
            return true;
        }

        private static bool StartsWithHex(string line)
        {
            string[] t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return t.Length > 0 && IsHexByte(t[0]);
        }

        private static bool IsHexByte(string t) { return t.Length == 2 && Uri.IsHexDigit(t[0]) && Uri.IsHexDigit(t[1]); }

        // "<- Control      f0 …" and "<- Control f0 …" are the same message.
        private static string Collapse(string line) { return string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)); }

        public static string Hex(IEnumerable<byte> bytes) { return string.Join(' ', bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))); }
    }
}
