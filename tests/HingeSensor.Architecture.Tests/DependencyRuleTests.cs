using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HingeSensor.TestSupport;
using Xunit;
using R = HingeSensor.Architecture.Tests.DependencyRules;

namespace HingeSensor.Architecture.Tests
{
    /// <summary>The repository's projects keep the dependency rules of docs/architecture.md.</summary>
    public class DependencyRuleTests
    {
        private static readonly Lazy<ProjectGraph> Repository = new(() => ProjectGraph.Load(RepositoryPaths.Root));

        private static void Kept(IEnumerable<string> violations)
        {
            List<string> v = violations.ToList();
            Assert.True(v.Count == 0, string.Join("\n", v));
        }

        [Fact]
        public void Every_project_the_rules_name_exists() =>
            Kept(R.Allowed.Keys.Where(n => !Repository.Value.Projects.ContainsKey(n)).Select(n => $"{n}: named by the rules, no such project (renamed? update docs/architecture.md and the rules)"));

        [Fact]
        public void Every_project_reference_is_an_allowed_edge() => Kept(R.AllowedEdges(Repository.Value));

        [Fact]
        public void The_algorithms_know_nothing_of_protocol_firmware_or_host() => Kept(R.AlgorithmsKnowNothingElse(Repository.Value));

        [Fact]
        public void The_protocol_references_only_the_algorithms() => Kept(R.ProtocolReachesOnlyTheAlgorithms(Repository.Value));

        [Fact]
        public void The_firmware_core_compiles_no_hardware_glue_and_references_no_hardware_api() => Kept(R.FirmwareCoreHasNoHardware(Repository.Value));

        [Fact]
        public void The_simulator_never_reaches_the_algorithms_it_judges() => Kept(R.SimulatorNeverReachesWhatItJudges(Repository.Value));

        [Fact]
        public void Only_the_virtual_device_links_the_firmware_core() => Kept(R.OnlyTheVirtualDeviceLinksTheFirmwareCore(Repository.Value));

        [Fact]
        public void Hinge_reaches_neither_the_developer_tools_nor_BenchmarkDotNet() => Kept(R.HingeShipsNoDevTools(Repository.Value));

        [Fact]
        public void The_server_reaches_no_device_simulator_or_tool_code() => Kept(R.ServerReachesNoDeviceCode(Repository.Value));

        [Fact]
        public void The_device_build_compiles_only_firmware_and_shared_sources() => Kept(R.DeviceBuildCompilesOnlyDeviceSources(Repository.Value));

        [Fact]
        public void Only_the_virtual_device_names_the_firmware_core_and_the_core_names_no_hardware_api()
        {
            string root = RepositoryPaths.Root;
            var sources = new[] { "host", Path.Combine("firmware", "HingeSensor.Nano", "Core") }
                .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*.cs", SearchOption.AllDirectories))
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Where(p => !p.Split('/').Any(s => s is "bin" or "obj"))
                .Select(p => (p, File.ReadAllText(Path.Combine(root, p))))
                .ToList();
            Assert.True(sources.Count > 50, "the sources were not found");
            Kept(R.Sources(sources));
        }
    }

    /// <summary>The rules fail where they should: a made-up repository, clean, then with one forbidden edge at a time.</summary>
    public class DependencyRuleFailureTests
    {
        [Fact]
        public void The_made_up_repository_keeps_every_rule() => Assert.Empty(R.All(MadeUpRepository.Clean().Graph()));

        public static IEnumerable<object[]> ForbiddenEdges() => new[]
        {
            new object[] { "hinge links the firmware core", (Action<MadeUpRepository>)(r => r.Reference(R.Host, R.FirmwareCore)), "HingeSensor.Host → HingeSensor.Nano.Core: only the virtual device links the firmware core" },
            new object[] { "the developer tools link the firmware core", (Action<MadeUpRepository>)(r => r.Reference(R.DevTools, R.FirmwareCore)), "HingeSensor.DevTools → HingeSensor.Nano.Core: only the virtual device links the firmware core" },
            new object[] { "the algorithms reference the protocol", (Action<MadeUpRepository>)(r => r.Reference(R.Algorithms, R.Protocol)), "the algorithms know nothing of protocol, firmware or host" },
            new object[] { "the protocol references the simulator", (Action<MadeUpRepository>)(r => r.Reference(R.Protocol, R.Simulation)), "the protocol references only the algorithms" },
            new object[] { "the simulator references the algorithms", (Action<MadeUpRepository>)(r => r.Reference(R.Simulation, R.Algorithms)), "the simulator never references the algorithms it judges" },
            new object[] { "hinge references the developer tools", (Action<MadeUpRepository>)(r => r.Reference(R.Host, R.DevTools)), "hinge does not reference the developer tools" },
            new object[] { "hinge takes BenchmarkDotNet", (Action<MadeUpRepository>)(r => r.Package(R.Host, "BenchmarkDotNet")), "HingeSensor.Host references BenchmarkDotNet: benchmarks are hinge-dev's" },
            new object[] { "the virtual device takes BenchmarkDotNet", (Action<MadeUpRepository>)(r => r.Package(R.VirtualDevice, "BenchmarkDotNet")), "and hinge reaches HingeSensor.VirtualDevice" },
            new object[] { "the firmware core compiles the hardware glue", (Action<MadeUpRepository>)(r => r.Compile(R.FirmwareCore, "../HingeSensor.Nano/Hardware/**/*.cs")), "never Hardware/ or Program.cs" },
            new object[] { "the firmware core takes an I2C package", (Action<MadeUpRepository>)(r => r.Package(R.FirmwareCore, "nanoFramework.System.Device.I2c")), "the firmware core uses no hardware API" },
            new object[] { "the device build compiles host code", (Action<MadeUpRepository>)(r => r.Compile(R.DeviceBuild, "..\\..\\host\\HingeSensor.Host\\Client\\*.cs")), "the device build compiles only" },
            new object[] { "the server references the virtual device", (Action<MadeUpRepository>)(r => r.Reference(R.Server, R.VirtualDevice)), "HingeSensor.Server → HingeSensor.VirtualDevice: the server reaches only the protocol and the algorithms" },
            new object[] { "the server references hinge", (Action<MadeUpRepository>)(r => r.Reference(R.Server, R.Host)), "HingeSensor.Server → HingeSensor.Host: not an allowed edge" },
            new object[] { "a project nobody placed", (Action<MadeUpRepository>)(r => r.Add("host/HingeSensor.Cloud/HingeSensor.Cloud.csproj")), "HingeSensor.Cloud (host/HingeSensor.Cloud/HingeSensor.Cloud.csproj) is not in the layout" },
            new object[] { "a test project references another", (Action<MadeUpRepository>)(r => r.Reference("HingeSensor.Web.Tests", "HingeSensor.Host.Tests")), "a test project references product projects" },
        };

        [Theory]
        [MemberData(nameof(ForbiddenEdges))]
        public void A_forbidden_edge_fails_the_rules(string what, Action<MadeUpRepository> breakIt, string expected)
        {
            MadeUpRepository repo = MadeUpRepository.Clean();
            breakIt(repo);
            List<string> violations = R.All(repo.Graph()).ToList();
            Assert.True(violations.Any(v => v.Contains(expected, StringComparison.Ordinal)), $"{what}: expected a violation with \"{expected}\", got:\n{string.Join("\n", violations)}");
        }

        [Theory]
        [InlineData("host/HingeSensor.Host/Link/Virtual/VirtualDeviceLink.cs", "using HingeSensor.Nano.Core.Ble;\nclass L { }", true)]
        [InlineData("host/HingeSensor.DevTools/Benchmarks/FirmwareBenchmark.cs", "class B { System.Type t = typeof(HingeSensor.Nano.Core.Device.DeviceCore); }", true)]
        [InlineData("host/HingeSensor.VirtualDevice/VirtualRig.cs", "using HingeSensor.Nano.Core.Device;\nclass V { }", false)]
        [InlineData("host/HingeSensor.DevTools/Benchmarks/DeviceCostBenchmark.cs", "class D { string s = \"HingeSensor.Nano.Bench\"; }", false)]
        [InlineData("firmware/HingeSensor.Nano/Core/Imu/Driver.cs", "using System.Device.I2c;\nclass D { }", true)]
        [InlineData("firmware/HingeSensor.Nano/Core/Ble/Gatt.cs", "class G { object o = new nanoFramework.Device.Bluetooth.Buffer(); }", true)]
        [InlineData("firmware/HingeSensor.Nano/Core/Imu/II2cDevice.cs", "/// The hardware glue wraps System.Device.I2c.\ninterface II2cDevice { }", false)]
        [InlineData("firmware/HingeSensor.Nano/Hardware/I2cImu.cs", "using System.Device.I2c;\nclass I { }", false)]
        public void A_source_naming_what_it_must_not_fails_the_rules(string path, string text, bool fails) =>
            Assert.Equal(fails, R.Sources(new[] { (path, text) }).Any());
    }

    /// <summary>A repository with the real layout's projects and edges, written as project files, to break on purpose.</summary>
    public sealed class MadeUpRepository
    {
        private sealed class Project
        {
            public readonly List<string> References = new();
            public readonly List<string> Packages = new();
            public readonly List<string> Compiles = new();
        }

        private readonly Dictionary<string, Project> _projects = new(StringComparer.Ordinal);

        private static readonly Dictionary<string, string> Paths = new()
        {
            [R.Algorithms] = "shared/HingeSensor.Algorithms/HingeSensor.Algorithms.csproj",
            [R.Protocol] = "shared/HingeSensor.Protocol/HingeSensor.Protocol.csproj",
            [R.FirmwareCore] = "firmware/HingeSensor.Nano.Core/HingeSensor.Nano.Core.csproj",
            [R.DeviceBuild] = "firmware/HingeSensor.Nano/HingeSensor.Nano.nfproj",
            [R.Simulation] = "host/HingeSensor.Simulation/HingeSensor.Simulation.csproj",
            [R.VirtualDevice] = "host/HingeSensor.VirtualDevice/HingeSensor.VirtualDevice.csproj",
            [R.Host] = "host/HingeSensor.Host/HingeSensor.Host.csproj",
            [R.DevTools] = "host/HingeSensor.DevTools/HingeSensor.DevTools.csproj",
            [R.Server] = "host/HingeSensor.Server/HingeSensor.Server.csproj",
            [R.TestSupport] = "tests/HingeSensor.TestSupport/HingeSensor.TestSupport.csproj",
            ["HingeSensor.Host.Tests"] = "tests/HingeSensor.Host.Tests/HingeSensor.Host.Tests.csproj",
            ["HingeSensor.Web.Tests"] = "tests/HingeSensor.Web.Tests/HingeSensor.Web.Tests.csproj",
        };

        public static MadeUpRepository Clean()
        {
            var r = new MadeUpRepository();
            foreach (string path in Paths.Values) r.Add(path);
            r.Reference(R.Protocol, R.Algorithms);
            r.Reference(R.FirmwareCore, R.Algorithms);
            r.Reference(R.FirmwareCore, R.Protocol);
            r.Compile(R.FirmwareCore, "../HingeSensor.Nano/Core/**/*.cs");
            foreach (string c in new[] { "Program.cs", "Core\\**\\*.cs", "Hardware\\**\\*.cs", "..\\..\\shared\\HingeSensor.Algorithms\\**\\*.cs", "..\\..\\shared\\HingeSensor.Protocol\\**\\*.cs" })
                r.Compile(R.DeviceBuild, c);
            r.Reference(R.VirtualDevice, R.FirmwareCore);
            r.Reference(R.VirtualDevice, R.Simulation);
            r.Reference(R.Server, R.Protocol);
            foreach (string p in new[] { R.Algorithms, R.Protocol, R.Simulation, R.VirtualDevice, R.Server }) r.Reference(R.Host, p);
            r.Reference(R.DevTools, R.Host);
            r.Package(R.DevTools, "BenchmarkDotNet");
            r.Reference("HingeSensor.Host.Tests", R.DevTools);
            r.Reference("HingeSensor.Host.Tests", R.TestSupport);
            r.Reference("HingeSensor.Web.Tests", R.Host);
            return r;
        }

        public void Add(string path) => _projects[path] = new Project();

        public void Reference(string from, string to) => _projects[Paths[from]].References.Add(Paths[to]);

        public void Package(string project, string package) => _projects[Paths[project]].Packages.Add(package);

        public void Compile(string project, string include) => _projects[Paths[project]].Compiles.Add(include);

        public ProjectGraph Graph() => ProjectGraph.FromFiles(_projects.Select(kv => (kv.Key, Xml(kv.Key, kv.Value))));

        // A project file as the repository writes them: includes relative to the project's own directory.
        private static string Xml(string path, Project p)
        {
            string dir = Path.GetDirectoryName(path)!;
            IEnumerable<string> items = p.References.Select(r => $"<ProjectReference Include=\"{Path.GetRelativePath(dir, r).Replace('\\', '/')}\" />")
                .Concat(p.Packages.Select(k => $"<PackageReference Include=\"{k}\" Version=\"1.0.0\" />"))
                .Concat(p.Compiles.Select(c => $"<Compile Include=\"{c}\" />"));
            return $"<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>{string.Join("", items)}</ItemGroup></Project>";
        }
    }
}
