using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace HingeSensor.Architecture.Tests
{
    /// <summary>
    /// The dependency rules of docs/architecture.md. Each rule returns its violations, one sentence
    /// each (empty: kept); <see cref="AllowedEdges"/> is the whole table, the others say the same
    /// things one concern at a time, over everything a project reaches.
    /// </summary>
    public static class DependencyRules
    {
        public const string Algorithms = "HingeSensor.Algorithms";
        public const string Protocol = "HingeSensor.Protocol";
        public const string FirmwareCore = "HingeSensor.Nano.Core";
        public const string DeviceBuild = "HingeSensor.Nano";
        public const string Simulation = "HingeSensor.Simulation";
        public const string VirtualDevice = "HingeSensor.VirtualDevice";
        public const string Host = "HingeSensor.Host";
        public const string DevTools = "HingeSensor.DevTools";
        public const string Server = "HingeSensor.Server";
        public const string TestSupport = "HingeSensor.TestSupport";

        /// <summary>Every project that is not a test, and the projects it may reference directly.</summary>
        public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
        {
            [Algorithms] = Array.Empty<string>(),
            [Protocol] = new[] { Algorithms },
            [FirmwareCore] = new[] { Algorithms, Protocol },
            [DeviceBuild] = Array.Empty<string>(), // compiles sources (DeviceBuildCompilesOnlyDeviceSources), references no project
            [Simulation] = Array.Empty<string>(),
            [VirtualDevice] = new[] { FirmwareCore, Simulation, Algorithms, Protocol },
            [Server] = new[] { Protocol, Algorithms },
            [Host] = new[] { VirtualDevice, Simulation, Algorithms, Protocol, Server },
            [DevTools] = new[] { Host, VirtualDevice, Simulation, Algorithms, Protocol },
            [TestSupport] = Array.Empty<string>(),
        };

        public static IEnumerable<string> All(ProjectGraph g) =>
            AllowedEdges(g).Concat(AlgorithmsKnowNothingElse(g)).Concat(ProtocolReachesOnlyTheAlgorithms(g))
                .Concat(FirmwareCoreHasNoHardware(g)).Concat(SimulatorNeverReachesWhatItJudges(g))
                .Concat(OnlyTheVirtualDeviceLinksTheFirmwareCore(g)).Concat(HingeShipsNoDevTools(g))
                .Concat(DeviceBuildCompilesOnlyDeviceSources(g)).Concat(ServerReachesNoDeviceCode(g)).Distinct();

        /// <summary>Each project reference is in the table; a test project may reference any product project and the test support, never another test project.</summary>
        public static IEnumerable<string> AllowedEdges(ProjectGraph g)
        {
            foreach (ProjectFile p in g.Projects.Values.OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                if (p.IsTest && p.Name != TestSupport)
                {
                    foreach (string r in p.ProjectReferences)
                        if (!(Allowed.ContainsKey(r) && r != DeviceBuild))
                            yield return $"{p.Name} → {r}: a test project references product projects and {TestSupport} only";
                    continue;
                }
                if (!Allowed.TryGetValue(p.Name, out string[]? allowed))
                {
                    yield return $"{p.Name} ({p.Path}) is not in the layout: add it to docs/architecture.md and to {nameof(DependencyRules)}.{nameof(Allowed)}";
                    continue;
                }
                foreach (string r in p.ProjectReferences)
                    if (!allowed.Contains(r)) yield return $"{p.Name} → {r}: not an allowed edge (allowed: {(allowed.Length == 0 ? "none" : string.Join(", ", allowed))})";
            }
        }

        /// <summary>The algorithms know nothing of protocol, firmware or host: they reference nothing.</summary>
        public static IEnumerable<string> AlgorithmsKnowNothingElse(ProjectGraph g) =>
            g.Closure(Algorithms).Select(r => $"{Algorithms} → {r}: the algorithms know nothing of protocol, firmware or host");

        /// <summary>The protocol reaches the algorithms only (it encodes their settings and results).</summary>
        public static IEnumerable<string> ProtocolReachesOnlyTheAlgorithms(ProjectGraph g) =>
            g.Closure(Protocol).Where(r => r != Algorithms).Select(r => $"{Protocol} → {r}: the protocol references only the algorithms");

        /// <summary>The firmware core compiles no hardware glue (Hardware/, Program.cs) and references no hardware API, project or package.</summary>
        public static IEnumerable<string> FirmwareCoreHasNoHardware(ProjectGraph g)
        {
            if (!g.Projects.TryGetValue(FirmwareCore, out ProjectFile? core)) yield break;
            foreach (string r in g.Closure(FirmwareCore).Where(r => r != Algorithms && r != Protocol))
                yield return $"{FirmwareCore} → {r}: the firmware core references only the algorithms and the protocol";
            foreach (string c in core.CompileIncludes.Where(c => !c.StartsWith("firmware/HingeSensor.Nano/Core/", StringComparison.Ordinal)))
                yield return $"{FirmwareCore} compiles {c}: the firmware core is firmware/HingeSensor.Nano/Core only, never Hardware/ or Program.cs";
            foreach (string r in core.Packages.Concat(core.AssemblyReferences))
                yield return $"{FirmwareCore} references {r}: the firmware core uses no hardware API (no package or assembly reference at all)";
        }

        /// <summary>The simulator never reaches the algorithms it is used to judge (nor the protocol or firmware that carry them).</summary>
        public static IEnumerable<string> SimulatorNeverReachesWhatItJudges(ProjectGraph g) =>
            g.Closure(Simulation).Where(r => r is Algorithms or Protocol or FirmwareCore)
                .Select(r => $"{Simulation} → {r}: the simulator never references the algorithms it judges");

        /// <summary>Of the product, only the virtual device links the firmware core; the host reaches the device through the wire protocol.</summary>
        public static IEnumerable<string> OnlyTheVirtualDeviceLinksTheFirmwareCore(ProjectGraph g) =>
            g.Projects.Values.Where(p => !p.IsTest && p.Name != VirtualDevice && p.ProjectReferences.Contains(FirmwareCore))
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => $"{p.Name} → {FirmwareCore}: only the virtual device links the firmware core");

        /// <summary>`hinge` reaches neither the developer tools nor BenchmarkDotNet.</summary>
        public static IEnumerable<string> HingeShipsNoDevTools(ProjectGraph g)
        {
            ISet<string> reach = g.Closure(Host);
            if (reach.Contains(DevTools)) yield return $"{Host} → {DevTools}: hinge does not reference the developer tools";
            foreach (string name in reach.Append(Host).OrderBy(n => n, StringComparer.Ordinal))
                if (g.Projects.TryGetValue(name, out ProjectFile? p) && p.Packages.Any(k => k.StartsWith("BenchmarkDotNet", StringComparison.OrdinalIgnoreCase)))
                    yield return $"{name} references BenchmarkDotNet{(name == Host ? "" : ", and hinge reaches " + name)}: benchmarks are hinge-dev's";
        }

        /// <summary>
        /// The team server knows sessions as files in the protocol's format: it reaches neither the
        /// firmware core, the virtual device, the simulator, the developer tools nor `hinge` itself
        /// (which starts it and hands it the decoder).
        /// </summary>
        public static IEnumerable<string> ServerReachesNoDeviceCode(ProjectGraph g) =>
            g.Closure(Server).Where(r => r is FirmwareCore or VirtualDevice or Simulation or DevTools or Host)
                .Select(r => $"{Server} → {r}: the server reaches only the protocol and the algorithms");

        /// <summary>The device build (the .nfproj) compiles its own Program.cs, Core/ and Hardware/ and the shared sources: nothing of the host or the tests.</summary>
        public static IEnumerable<string> DeviceBuildCompilesOnlyDeviceSources(ProjectGraph g)
        {
            if (!g.Projects.TryGetValue(DeviceBuild, out ProjectFile? app)) yield break;
            string[] allowed =
            {
                "firmware/HingeSensor.Nano/Program.cs", "firmware/HingeSensor.Nano/Core/", "firmware/HingeSensor.Nano/Hardware/",
                "shared/HingeSensor.Algorithms/", "shared/HingeSensor.Protocol/",
            };
            foreach (string c in app.CompileIncludes.Where(c => !allowed.Any(a => c.StartsWith(a, StringComparison.Ordinal))))
                yield return $"{DeviceBuild} compiles {c}: the device build compiles only Program.cs, Core/, Hardware/ and the shared sources";
            foreach (string r in app.ProjectReferences) yield return $"{DeviceBuild} → {r}: the device build references no project";
        }

        private static readonly Regex Comments = new(@"/\*.*?\*/|//[^\n]*", RegexOptions.Compiled | RegexOptions.Singleline);
        private static readonly Regex CoreName = new(@"\bHingeSensor\.Nano\.Core\b", RegexOptions.Compiled);
        private static readonly Regex HardwareName = new(@"\b(System\.Device\.|nanoFramework\.|HingeSensor\.Nano\.Hardware\b)", RegexOptions.Compiled);

        /// <summary>
        /// The same two rules in the sources, where a transitive reference would let them slip:
        /// no host-side code but the virtual device's names the firmware core, and the firmware
        /// core names no hardware API (comments aside). Sources are (path in the repository, text).
        /// </summary>
        public static IEnumerable<string> Sources(IEnumerable<(string Path, string Text)> sources)
        {
            foreach (var (path, source) in sources.OrderBy(s => s.Path, StringComparer.Ordinal))
            {
                string text = Comments.Replace(source, ""); // a comment may name what the code must not use
                if (path.StartsWith("host/", StringComparison.Ordinal) && !path.StartsWith("host/HingeSensor.VirtualDevice/", StringComparison.Ordinal) && CoreName.IsMatch(text))
                    yield return $"{path} names the firmware core: only the virtual device links it (reach the device through the wire protocol or the virtual device's own API)";
                if (path.StartsWith("firmware/HingeSensor.Nano/Core/", StringComparison.Ordinal) && HardwareName.Match(text) is { Success: true } m)
                    yield return $"{path} names {m.Value.TrimEnd('.')}: the firmware core never uses Hardware/ or a nanoFramework hardware API";
            }
        }
    }
}
