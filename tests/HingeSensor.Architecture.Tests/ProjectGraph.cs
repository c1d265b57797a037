using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace HingeSensor.Architecture.Tests
{
    /// <summary>One project file as MSBuild would read its items: what it references and what it compiles.</summary>
    public sealed record ProjectFile(
        string Name,
        string Path,
        bool IsTest,
        IReadOnlyList<string> ProjectReferences,
        IReadOnlyList<string> Packages,
        IReadOnlyList<string> AssemblyReferences,
        IReadOnlyList<string> CompileIncludes);

    /// <summary>
    /// Every project of the repository (*.csproj, *.nfproj) and its references, read from the XML.
    /// Paths are relative to the repository root with '/' separators; a project is named after its
    /// file. A reference to a file that is not one of the projects is kept under its path, so it
    /// shows up as an edge nobody allowed.
    /// </summary>
    public sealed class ProjectGraph
    {
        private readonly Dictionary<string, ProjectFile> _projects;

        private ProjectGraph(Dictionary<string, ProjectFile> projects) => _projects = projects;

        public IReadOnlyDictionary<string, ProjectFile> Projects => _projects;

        public static ProjectGraph Load(string root)
        {
            var files = new List<(string, string)>();
            foreach (string pattern in new[] { "*.csproj", "*.nfproj" })
                foreach (string f in Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories))
                {
                    string rel = System.IO.Path.GetRelativePath(root, f).Replace('\\', '/');
                    if (rel.Split('/').Any(s => s is "bin" or "obj" || s.StartsWith('.'))) continue;
                    files.Add((rel, File.ReadAllText(f)));
                }
            return FromFiles(files);
        }

        /// <summary>A graph from (path in the repository, project XML) pairs: the real files, or made-up ones that break a rule.</summary>
        public static ProjectGraph FromFiles(IEnumerable<(string Path, string Xml)> files)
        {
            var list = files.ToList();
            var names = list.ToDictionary(f => f.Path, f => NameOf(f.Path), StringComparer.Ordinal);
            var projects = new Dictionary<string, ProjectFile>(StringComparer.Ordinal);
            foreach (var (path, xml) in list)
            {
                XElement doc = XDocument.Parse(xml).Root!;
                string dir = path.Contains('/') ? path[..path.LastIndexOf('/')] : "";
                IEnumerable<string> Items(string kind) => doc.Descendants().Where(e => e.Name.LocalName == kind)
                    .Select(e => (string?)e.Attribute("Include")).Where(i => !string.IsNullOrEmpty(i))!;
                string name = NameOf(path);
                if (projects.ContainsKey(name)) throw new InvalidDataException($"two projects named {name}: the rules name projects by file name");
                projects[name] = new ProjectFile(
                    name,
                    path,
                    path.StartsWith("tests/", StringComparison.Ordinal),
                    Items("ProjectReference").Select(i => Resolve(dir, i)).Select(p => names.TryGetValue(p, out string? n) ? n : p).ToList(),
                    Items("PackageReference").ToList(),
                    Items("Reference").Select(i => i.Split(',')[0].Trim()).ToList(),
                    Items("Compile").SelectMany(i => i.Split(';')).Select(i => Resolve(dir, i)).ToList());
            }
            return new ProjectGraph(projects);
        }

        /// <summary>Everything a project reaches through project references, itself excluded.</summary>
        public ISet<string> Closure(string name)
        {
            var seen = new SortedSet<string>(StringComparer.Ordinal);
            var work = new Stack<string>(_projects.TryGetValue(name, out ProjectFile? p) ? p.ProjectReferences : Array.Empty<string>());
            while (work.Count > 0)
            {
                string next = work.Pop();
                if (!seen.Add(next) || !_projects.TryGetValue(next, out ProjectFile? q)) continue;
                foreach (string r in q.ProjectReferences) work.Push(r);
            }
            seen.Remove(name);
            return seen;
        }

        private static string NameOf(string path) => System.IO.Path.GetFileNameWithoutExtension(path);

        // A path relative to the project's directory, as a path relative to the repository root.
        private static string Resolve(string dir, string include)
        {
            var parts = new List<string>();
            foreach (string s in (dir.Length > 0 ? dir + "/" : "").Split('/').Concat(include.Replace('\\', '/').Split('/')))
            {
                if (s is "" or ".") continue;
                if (s == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else parts.Add(s);
            }
            return string.Join('/', parts);
        }
    }
}
