using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// Writes a report and its figures so that a failure leaves nothing behind: every file goes to a
    /// temporary name in the target folder and is renamed into place once all are written, so an
    /// existing report is replaced whole or not at all.
    /// </summary>
    public static class ReportFiles
    {
        /// <summary>Where `--png` puts a figure: beside the page, "report.html" → "report.plot-torso.png".</summary>
        public static string PngPath(string htmlPath, string plotId)
        {
            string dir = Path.GetDirectoryName(Path.GetFullPath(htmlPath))!;
            return Path.Combine(dir, Path.GetFileNameWithoutExtension(htmlPath) + "." + plotId + ".png");
        }

        /// <summary>Writes the page (and the figures when <paramref name="withPngs"/>); returns the paths written.</summary>
        public static IReadOnlyList<string> Write(string htmlPath, string html, IReadOnlyList<RenderedPlot> plots, bool withPngs)
        {
            string full = Path.GetFullPath(htmlPath);
            if (Directory.Exists(full)) throw new IOException($"{htmlPath} is a directory; give a file name such as {Path.Combine(htmlPath, "report.html")}");
            string? dir = Path.GetDirectoryName(full);
            if (dir == null || !Directory.Exists(dir))
                throw new IOException($"cannot write {htmlPath}: {dir} {(File.Exists(dir) ? "is a file, not a folder" : "does not exist")}");

            var files = new List<(string Path, byte[] Bytes)>();
            if (withPngs)
                foreach (RenderedPlot p in plots) files.Add((PngPath(full, p.Id), p.Png));
            files.Add((full, new UTF8Encoding(false).GetBytes(html)));
            foreach (var (path, _) in files)
                if (Directory.Exists(path)) throw new IOException($"cannot write {path}: a directory of that name is in the way");

            // All files are written under temporary names first, so a failure (full disk, no
            // permission) touches no existing file; only then are they renamed into place.
            var temps = new List<(string Temp, string Path)>();
            try
            {
                foreach (var (path, bytes) in files)
                {
                    string temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
                    temps.Add((temp, path));
                    File.WriteAllBytes(temp, bytes);
                }
                foreach (var (temp, path) in temps) File.Move(temp, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                foreach (var (temp, _) in temps) TryDelete(temp);
                throw new IOException($"cannot write {htmlPath}: {e.Message}", e);
            }
            return temps.ConvertAll(t => t.Path);
        }

        private static void TryDelete(string path)
        {
            try { File.Delete(path); } catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
        }
    }
}
