using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace HingeSensor.DevTools.DeviceBuild
{
    /// <summary>
    /// A .nfproj read as the nanoFramework project system reads it, as far as compiling goes: its
    /// Compile items (globs with Exclude), references, language version, nullable, warnings as
    /// errors, defines, output type; and the packages.config beside it, which must name a package
    /// for every reference.
    /// </summary>
    public sealed class NanoProjectFile
    {
        public required string Path { get; init; }
        public required NanoCompilation Compilation { get; init; }

        /// <summary>Package id → version, from packages.config.</summary>
        public required IReadOnlyDictionary<string, string> Packages { get; init; }

        public static NanoProjectFile Load(string nfproj)
        {
            string dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(nfproj))!;
            XDocument doc = XDocument.Load(nfproj);
            XNamespace ns = doc.Root!.Name.Namespace;
            string? Property(string name) => doc.Descendants(ns + name).Select(e => e.Value.Trim()).LastOrDefault();

            var sources = new SortedSet<string>(StringComparer.Ordinal);
            foreach (XElement c in doc.Descendants(ns + "Compile"))
            {
                string include = (string?)c.Attribute("Include") ?? throw new InvalidDataException($"{nfproj}: a Compile item without Include");
                string[] excludes = ((string?)c.Attribute("Exclude") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
                var excluded = new HashSet<string>(excludes.SelectMany(e => Glob(dir, e)), StringComparer.Ordinal);
                List<string> matched = Glob(dir, include).Where(f => !excluded.Contains(f)).ToList();
                if (matched.Count == 0) throw new InvalidDataException($"{nfproj}: Compile Include=\"{include}\" matches no file");
                foreach (string f in matched) sources.Add(f);
            }

            var packages = new Dictionary<string, string>(StringComparer.Ordinal);
            string packagesConfig = System.IO.Path.Combine(dir, "packages.config");
            if (File.Exists(packagesConfig))
                foreach (XElement p in XDocument.Load(packagesConfig).Descendants("package"))
                    packages[(string)p.Attribute("id")!] = (string)p.Attribute("version")!;

            var references = new List<string>();
            foreach (XElement r in doc.Descendants(ns + "Reference"))
            {
                string name = ((string?)r.Attribute("Include") ?? "").Split(',')[0].Trim();
                string hint = r.Element(ns + "HintPath")?.Value.Replace('\\', '/') ?? "";
                // packages/<id>.<version>/lib/<name>.dll: the package must be the one packages.config names.
                string[] parts = hint.Split('/');
                if (parts.Length < 2 || parts[0] != "packages" || !packages.Any(p => parts[1] == p.Key + "." + p.Value))
                    throw new InvalidDataException($"{nfproj}: reference {name} (HintPath {hint}) is not from a package of packages.config");
                references.Add(name);
            }
            foreach (string id in packages.Keys)
                if (!doc.Descendants(ns + "HintPath").Any(h => h.Value.Replace('\\', '/').StartsWith("packages/" + id + "." + packages[id] + "/", StringComparison.Ordinal)))
                    throw new InvalidDataException($"{nfproj}: packages.config names {id} {packages[id]} but no reference uses it");

            var defines = new List<string>();
            foreach (string d in (Property("DefineConstants") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                if (!d.StartsWith("$(", StringComparison.Ordinal)) defines.Add(d.Trim());

            return new NanoProjectFile
            {
                Path = System.IO.Path.GetFullPath(nfproj),
                Packages = packages,
                Compilation = new NanoCompilation
                {
                    AssemblyName = Property("AssemblyName") ?? System.IO.Path.GetFileNameWithoutExtension(nfproj),
                    Sources = sources.ToList(),
                    References = references,
                    Executable = string.Equals(Property("OutputType"), "Exe", StringComparison.OrdinalIgnoreCase),
                    LanguageVersion = Property("LangVersion") ?? "default",
                    Nullable = string.Equals(Property("Nullable"), "enable", StringComparison.OrdinalIgnoreCase),
                    WarningsAsErrors = string.Equals(Property("TreatWarningsAsErrors"), "true", StringComparison.OrdinalIgnoreCase),
                    Defines = defines,
                },
            };
        }

        /// <summary>MSBuild-style item glob relative to dir: literal paths, '*' within a name, '**' for any depth.</summary>
        public static IEnumerable<string> Glob(string dir, string pattern)
        {
            string p = pattern.Replace('\\', '/');
            string[] segments = p.Split('/');
            int wild = Array.FindIndex(segments, s => s.Contains('*') || s.Contains('?'));
            if (wild < 0)
            {
                string file = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, p));
                return File.Exists(file) ? new[] { file } : Array.Empty<string>();
            }
            string baseDir = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, string.Join('/', segments.Take(wild))));
            if (!Directory.Exists(baseDir)) return Array.Empty<string>();
            var regex = new System.Text.RegularExpressions.Regex("^" + string.Join("/", segments.Skip(wild).Select(s =>
                s == "**" ? "\u0001" : System.Text.RegularExpressions.Regex.Escape(s).Replace("\\*", "[^/]*").Replace("\\?", "[^/]")))
                .Replace("\u0001/", "(?:.*/)?").Replace("\u0001", ".*") + "$");
            return Directory.EnumerateFiles(baseDir, "*", SearchOption.AllDirectories)
                .Where(f => regex.IsMatch(System.IO.Path.GetRelativePath(baseDir, f).Replace('\\', '/')))
                .Select(System.IO.Path.GetFullPath).OrderBy(f => f, StringComparer.Ordinal).ToList();
        }
    }
}
