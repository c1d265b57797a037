using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HingeSensor.Host.Web
{
    /// <summary>
    /// The page, scripts and style sheet, embedded in the assembly (Web/wwwroot, see the project
    /// file) and served from memory with their content types: nothing to deploy next to `hinge`.
    /// </summary>
    public static class StaticAssets
    {
        private const string Prefix = "wwwroot/";

        private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
        {
            [".html"] = "text/html; charset=utf-8",
            [".js"] = "text/javascript; charset=utf-8",
            [".css"] = "text/css; charset=utf-8",
            [".svg"] = "image/svg+xml",
            [".png"] = "image/png",
            [".webmanifest"] = "application/manifest+json",
        };

        /// <summary>Where the web app's files are among the assets (served at /app/ and exported by `hinge app export`).</summary>
        public const string AppFolder = "app/";

        public static IReadOnlyDictionary<string, (byte[] Bytes, string ContentType)> Load()
        {
            var assembly = typeof(StaticAssets).Assembly;
            var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
            foreach (string name in assembly.GetManifestResourceNames())
            {
                if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
                string file = name[Prefix.Length..].Replace('\\', '/');
                if (!ContentTypes.TryGetValue(Path.GetExtension(file), out string? type))
                    throw new InvalidOperationException($"embedded web asset {file} has no known content type");
                using Stream s = assembly.GetManifestResourceStream(name)!;
                using var m = new MemoryStream();
                s.CopyTo(m);
                files[file] = (m.ToArray(), type);
            }
            return files;
        }

        public static void Map(WebApplication app)
        {
            var files = Load();
            if (!files.ContainsKey("live.html")) throw new InvalidOperationException("the dashboard's live.html is not embedded in the assembly");
            if (!files.ContainsKey(AppFolder + "index.html")) throw new InvalidOperationException("the web app's index.html is not embedded in the assembly");
            app.MapGet("/", () => Serve(files["live.html"]));
            app.MapGet("/assets/{*file}", (string file) => files.TryGetValue(file, out var f) ? Serve(f) : Results.NotFound());
            // The web app: relative links throughout, so that the same files work from any folder of
            // any HTTPS host (`hinge app export`); its service worker's scope is /app/.
            app.MapGet("/app/{*file}", (HttpContext ctx, string? file) =>
            {
                // The app's links are relative to its folder: /app must become /app/ first.
                if (!ctx.Request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(file)) return Results.Redirect("/app/" + ctx.Request.QueryString);
                string name = AppFolder + (string.IsNullOrEmpty(file) ? "index.html" : file);
                if (!files.TryGetValue(name, out var f)) return Results.NotFound();
                // The browser checks the service worker for updates on every visit; everything else
                // it may keep a little while (the service worker itself keeps the shell offline).
                ctx.Response.Headers.CacheControl = name.EndsWith("/sw.js", StringComparison.Ordinal) ? "no-cache" : "max-age=60";
                return Serve(f);
            });
        }

        /// <summary>The web app's files by their path inside the app folder ("index.html", "protocol.js", …).</summary>
        public static IReadOnlyDictionary<string, byte[]> AppFiles()
        {
            var app = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (name, f) in Load())
                if (name.StartsWith(AppFolder, StringComparison.Ordinal)) app[name[AppFolder.Length..]] = f.Bytes;
            return app;
        }

        private static IResult Serve((byte[] Bytes, string ContentType) f) => Results.Bytes(f.Bytes, f.ContentType);
    }
}
