using System;
using System.IO;

namespace HingeSensor.Host.IO
{
    /// <summary>
    /// Where a path really leads: absolute, "." and ".." gone, every symbolic link on the way (the
    /// file's own and its directories') followed. Two paths that name one file by different routes
    /// have the same canonical path, so an output can be told apart from the input it would overwrite.
    /// </summary>
    internal static class CanonicalPath
    {
        public static string Of(string path) => Resolve(Path.GetFullPath(path), 0);

        public static bool Same(string a, string b) =>
            string.Equals(Of(a), Of(b), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

        private static string Resolve(string full, int depth)
        {
            if (depth > 40) throw new IOException($"too many symbolic links on the way to {full}");
            string root = Path.GetPathRoot(full)!;
            string current = root;
            string[] parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < parts.Length; i++)
            {
                current = Path.Combine(current, parts[i]);
                FileSystemInfo entry = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
                if (!entry.Exists || entry.LinkTarget == null) continue; // a name still to be created stays as it is
                // The link's target may itself pass through links: resolve it from the start, then go on below it.
                string target = Path.GetFullPath(entry.LinkTarget, Path.GetDirectoryName(current)!);
                string rest = string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..]);
                return Resolve(rest.Length == 0 ? target : Path.Combine(target, rest), depth + 1);
            }
            return current;
        }
    }
}
