using System;
using System.CommandLine;
using System.IO;
using HingeSensor.Host.Web;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// `hinge app export --out DIR`: the web app as static files, for any HTTPS host (a phone needs
    /// https for Web Bluetooth and the service worker; docs/web-app.md). The same files `hinge serve`
    /// serves at /app, all links relative, so the folder works wherever it is put.
    /// </summary>
    internal static class AppCommand
    {
        public static Command Create()
        {
            var cmd = new Command("app", "The web app (Web Bluetooth, for phones and laptops): export it as static files.");
            var output = new Option<string>("--out") { Description = "Folder to write the app into (created if missing; the app's files in it are replaced).", Required = true };
            var export = new Command("export", "Write the web app's files into a folder, to host on any HTTPS server.") { output };
            export.SetAction(p =>
            {
                string dir = p.GetValue(output)!;
                try
                {
                    int n = Export(dir);
                    p.InvocationConfiguration.Output.WriteLine($"{n} files in {Path.GetFullPath(dir)}: host them on https (or open http://localhost) and visit index.html");
                    return 0;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    p.InvocationConfiguration.Error.WriteLine($"hinge app export: cannot write {dir}: {e.Message}");
                    return 2;
                }
            });
            cmd.Subcommands.Add(export);
            return cmd;
        }

        /// <summary>Writes the app's files under <paramref name="dir"/>; the number written.</summary>
        public static int Export(string dir)
        {
            Directory.CreateDirectory(dir);
            int n = 0;
            foreach (var (name, bytes) in StaticAssets.AppFiles())
            {
                string path = Path.Combine(dir, name.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes);
                n++;
            }
            return n;
        }
    }
}
