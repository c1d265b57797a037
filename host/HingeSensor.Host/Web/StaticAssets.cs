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
        };

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
            app.MapGet("/", () => Serve(files["live.html"]));
            app.MapGet("/assets/{*file}", (string file) => files.TryGetValue(file, out var f) ? Serve(f) : Results.NotFound());
        }

        private static IResult Serve((byte[] Bytes, string ContentType) f) => Results.Bytes(f.Bytes, f.ContentType);
    }
}
