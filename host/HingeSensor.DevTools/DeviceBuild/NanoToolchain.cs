using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;

namespace HingeSensor.DevTools.DeviceBuild
{
    /// <summary>What to compile for nanoFramework: the settings a .nfproj carries.</summary>
    public sealed record NanoCompilation
    {
        public required string AssemblyName { get; init; }
        public required IReadOnlyList<string> Sources { get; init; }

        /// <summary>Assembly names ("mscorlib", "System.Math"...) from the toolkit's ref/, or paths to .dll files.</summary>
        public required IReadOnlyList<string> References { get; init; }

        public bool Executable { get; init; }
        public string LanguageVersion { get; init; } = "9.0";
        public bool Nullable { get; init; } = true;
        public bool WarningsAsErrors { get; init; } = true;
        public IReadOnlyList<string> Defines { get; init; } = new[] { "NANOFRAMEWORK" };
    }

    /// <summary>
    /// The nanoFramework toolkit beside the checkout (../shared/tools/nano, or $HINGESENSOR_NANO_TOOLS):
    /// compiles C# 9 against the device's mscorlib and libraries with the SDK's own C# compiler,
    /// turns assemblies into device .pe files with the MetadataProcessor (pe.sh), and runs .pe files
    /// on nanoCLR, the device interpreter built for this machine. Nothing of it is copied into the
    /// repository: every step calls the toolkit where it lies.
    /// </summary>
    public sealed class NanoToolchain
    {
        public const string ToolsVariable = "HINGESENSOR_NANO_TOOLS";

        private NanoToolchain(string tools, string mscorlib, string csc, string dotnet)
        {
            ToolsDirectory = tools;
            Mscorlib = mscorlib;
            MscorlibPe = Path.ChangeExtension(mscorlib, ".pe");
            Csc = csc;
            Dotnet = dotnet;
        }

        public string ToolsDirectory { get; }

        /// <summary>mscorlib.dll of NuGet nanoFramework.CoreLibrary 1.17.11 (the device's BCL).</summary>
        public string Mscorlib { get; }

        /// <summary>The same package's mscorlib.pe, as shipped (the interpreter loads it first).</summary>
        public string MscorlibPe { get; }

        /// <summary>csc.dll of the SDK that runs us.</summary>
        public string Csc { get; }

        public string Dotnet { get; }

        public string Interpreter => Path.Combine(ToolsDirectory, "nanoclr", "bin", "nanoFramework.nanoCLR.test");

        /// <summary>Where compiler and MetadataProcessor outputs are reused by the content of their inputs (null: every step runs).</summary>
        public NanoBuildCache? Cache { get; set; }

        public string ReferenceDirectory => Path.Combine(ToolsDirectory, "ref");

        /// <summary>True where CI installs everything and a missing tool is a failure, not a skip.</summary>
        public static bool InCi => Environment.GetEnvironmentVariable("HINGESENSOR_CI") == "1";

        /// <summary>The toolkit, or null with the reason it cannot be used here.</summary>
        public static NanoToolchain? Find(out string whyNot)
        {
            string? tools = ToolsLocation(out whyNot);
            if (tools == null) return null;
            foreach (string need in new[] { "pe.sh", "run.sh", "mdp/nanoFramework.Tools.MetadataProcessor.dll", "nanoclr/bin/nanoFramework.nanoCLR.test" })
            {
                if (!File.Exists(Path.Combine(tools, need)))
                {
                    whyNot = $"the nanoFramework toolkit at {tools} has no {need}";
                    return null;
                }
            }
            if (!Directory.Exists(Path.Combine(tools, "ref")) || Directory.GetFiles(Path.Combine(tools, "ref"), "*.dll").Length == 0)
            {
                whyNot = $"the nanoFramework toolkit at {tools} has no ref/*.dll";
                return null;
            }
            string? mscorlib = FindMscorlib();
            if (mscorlib == null)
            {
                whyNot = "nanoFramework mscorlib.dll not found (restore NuGet nanoFramework.CoreLibrary 1.17.11)";
                return null;
            }
            string dotnet = ToolRun.Dotnet();
            string? csc = FindCsc(dotnet, out whyNot);
            if (csc == null) return null;
            whyNot = "";
            return new NanoToolchain(tools, mscorlib, csc, dotnet);
        }

        private static string? ToolsLocation(out string whyNot)
        {
            string? fromEnv = Environment.GetEnvironmentVariable(ToolsVariable);
            string? dir;
            if (!string.IsNullOrWhiteSpace(fromEnv)) dir = Path.GetFullPath(fromEnv);
            else
            {
                string? root = Checkout.FindRoot();
                if (root == null)
                {
                    whyNot = $"no checkout found to look for ../shared/tools/nano beside it; set {ToolsVariable}";
                    return null;
                }
                dir = Path.GetFullPath(Path.Combine(root, "..", "shared", "tools", "nano"));
            }
            if (!Directory.Exists(dir))
            {
                whyNot = $"the nanoFramework toolkit is not at {dir} (set {ToolsVariable} to its directory)";
                return null;
            }
            whyNot = "";
            return dir;
        }

        // The build baked the restored package's path in (see the .csproj); else the NuGet cache.
        private static string? FindMscorlib()
        {
            foreach (AssemblyMetadataAttribute a in typeof(NanoToolchain).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
                if (a.Key == "NanoMscorlib" && a.Value != null && File.Exists(a.Value)) return a.Value;
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            string path = Path.Combine(packages, "nanoframework.corelibrary", "1.17.11", "lib", "mscorlib.dll");
            return File.Exists(path) ? path : null;
        }

        // The C# compiler of the SDK `dotnet` selects here (global.json included), not a hard-coded path.
        private static string? FindCsc(string dotnet, out string whyNot)
        {
            string root = Checkout.FindRoot(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
            ToolResult version = ToolRun.Run(dotnet, new[] { "--version" }, root);
            ToolResult sdks = ToolRun.Run(dotnet, new[] { "--list-sdks" }, root);
            string v = version.Output.Trim();
            foreach (string line in sdks.Output.Split('\n'))
            {
                // "10.0.401 [/usr/share/dotnet/sdk]"
                int bracket = line.IndexOf('[');
                if (bracket < 0 || line.Substring(0, bracket).Trim() != v) continue;
                string dir = line.Substring(bracket + 1).Trim().TrimEnd(']');
                string csc = Path.Combine(dir, v, "Roslyn", "bincore", "csc.dll");
                if (File.Exists(csc))
                {
                    whyNot = "";
                    return csc;
                }
            }
            whyNot = $"the C# compiler of SDK '{v}' was not found (dotnet --list-sdks: {sdks.Output.Trim()})";
            return null;
        }

        /// <summary>Path of a reference: an assembly name of the toolkit's ref/ (or mscorlib), or a .dll path.</summary>
        public string ReferencePath(string reference)
        {
            if (reference.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return Path.GetFullPath(reference);
            if (reference == "mscorlib") return Mscorlib;
            string path = Path.Combine(ReferenceDirectory, reference + ".dll");
            if (!File.Exists(path)) throw new FileNotFoundException($"the nanoFramework toolkit has no reference assembly {reference} ({path})");
            return path;
        }

        /// <summary>Compiles with the SDK's csc as the nanoFramework project system does (no standard library).</summary>
        public ToolResult Compile(NanoCompilation c, string outputPath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            var rsp = new StringBuilder();
            rsp.AppendLine("-nologo").AppendLine("-noconfig").AppendLine("-nostdlib+").AppendLine("-deterministic+").AppendLine("-optimize+");
            rsp.AppendLine("-langversion:" + c.LanguageVersion);
            rsp.AppendLine("-nullable:" + (c.Nullable ? "enable" : "disable"));
            if (c.WarningsAsErrors) rsp.AppendLine("-warnaserror+");
            if (c.Defines.Count > 0) rsp.AppendLine("-define:" + string.Join(";", c.Defines));
            rsp.AppendLine("-target:" + (c.Executable ? "exe" : "library"));
            rsp.AppendLine("-out:" + Quote(Path.GetFullPath(outputPath)));
            foreach (string r in c.References) rsp.AppendLine("-r:" + Quote(ReferencePath(r)));
            foreach (string s in c.Sources) rsp.AppendLine(Quote(Path.GetFullPath(s)));
            string rspPath = outputPath + ".rsp";
            File.WriteAllText(rspPath, rsp.ToString());
            // The options decide the output; the sources and references count by name and bytes (their lines name their directories).
            return Cached("csc " + Csc, rsp.ToString().Split('\n').Where(l => !l.StartsWith("-out:", StringComparison.Ordinal) && !l.StartsWith("-r:", StringComparison.Ordinal) && !l.StartsWith("\"", StringComparison.Ordinal)),
                c.Sources.Concat(c.References.Select(ReferencePath)), outputPath,
                () => ToolRun.Run(Dotnet, new[] { "exec", Csc, "@" + rspPath }));
        }

        // A step through the cache, when there is one: its kept output if the same step ran on the same inputs.
        private ToolResult Cached(string step, IEnumerable<string> arguments, IEnumerable<string> inputs, string outputPath, Func<ToolResult> run)
        {
            if (Cache == null) return run();
            // The output's file name too: the compiler names the assembly after it.
            string key = NanoBuildCache.Key(step, arguments.Append(Path.GetFileName(outputPath)), inputs);
            if (Cache.Restore(key, outputPath) is ToolResult kept) return kept;
            ToolResult r = run();
            if (r.Ok && File.Exists(outputPath)) Cache.Keep(key, outputPath, r);
            return r;
        }

        /// <summary>Turns an assembly into the .pe the device loads (the toolkit's pe.sh: MetadataProcessor).</summary>
        public ToolResult ConvertToPe(string assembly, string pePath, params string[] extraReferences)
        {
            var args = new List<string> { Path.Combine(ToolsDirectory, "pe.sh"), Path.GetFullPath(assembly), Path.GetFullPath(pePath) };
            args.AddRange(extraReferences.Select(Path.GetFullPath));
            ToolResult r = Cached("pe.sh", new[] { ToolsDirectory, Mscorlib }, new[] { assembly }.Concat(extraReferences), pePath,
                () => ToolRun.Run("bash", args, environment: ToolEnvironment));
            if (r.Ok) return r;
            // pe.sh names the processor's first errors; the whole log says the rest.
            string log = pePath + ".log";
            string detail = File.Exists(log) ? string.Join("\n", File.ReadAllLines(log).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase) || l.Contains("not supported", StringComparison.OrdinalIgnoreCase)).Take(20)) : "";
            return r with { Error = r.Error + (detail.Length > 0 ? "\nMetadataProcessor log:\n" + detail : "") };
        }

        /// <summary>
        /// A library of ref/ as a .pe for the interpreter here, with the compiler-generated
        /// Microsoft.CodeAnalysis.EmbeddedAttribute left out. The toolkit's ref/ assemblies were
        /// built with a current C# compiler, which adds that class; the MetadataProcessor sorts it
        /// before every nanoFramework type, so in the toolkit's pe/ every native method's index is
        /// one past the one nanoCLR's native tables expect (Math.Sqrt runs Tan's native, GC.Run
        /// another's). The shipped libraries never had the class; leaving it out restores their order.
        /// </summary>
        public ToolResult ConvertLibraryForInterpreter(string library, string pePath)
        {
            var args = new List<string> { Path.Combine(ToolsDirectory, "mdp", "nanoFramework.Tools.MetadataProcessor.dll"), "-loadHints", "mscorlib", Mscorlib };
            foreach (string dll in Directory.GetFiles(ReferenceDirectory, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
                args.AddRange(new[] { "-loadHints", Path.GetFileNameWithoutExtension(dll), dll });
            args.AddRange(new[] { "-excludeClassByName", "Microsoft.CodeAnalysis.EmbeddedAttribute", "-parse", ReferencePath(library), "-compile", Path.GetFullPath(pePath), "false" });
            return Cached("mdp for the interpreter", args.Take(args.Count - 2), new[] { ReferencePath(library) }, pePath, () =>
            {
                ToolResult r = ToolRun.Run(Dotnet, args);
                bool failed = !r.Ok || !File.Exists(pePath) || r.Text.Contains("error", StringComparison.OrdinalIgnoreCase) || r.Text.Contains("exception", StringComparison.OrdinalIgnoreCase);
                return failed ? r with { ExitCode = r.ExitCode == 0 ? 1 : r.ExitCode } : r;
            });
        }

        /// <summary>Environment for the toolkit's scripts: the mscorlib we compiled against, so both agree.</summary>
        public IReadOnlyDictionary<string, string> ToolEnvironment => new Dictionary<string, string>
        {
            ["NANO_MSCORLIB"] = Mscorlib,
            ["NANO_MSCORLIB_PE"] = MscorlibPe,
        };

        private static string Quote(string s) => "\"" + s + "\"";
    }
}
