using System.IO;
using System.Linq;
using HingeSensor.DevTools.DeviceBuild;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>
    /// The device build in CI: the whole nanoFramework app (Program.cs, Core/, Hardware/, the
    /// algorithm sources) compiled as its .nfproj says, against the device's mscorlib and the
    /// libraries packages.config names, then turned into the .pe the device loads by the
    /// MetadataProcessor. A compile error or a construct the device cannot load fails here, with
    /// the compiler's or the processor's own message.
    /// </summary>
    [StartsEarly(3)]
    public sealed class DeviceBuildTests
    {
        [SkippableFact]
        public void TheDeviceAppCompilesAndConvertsAsItsNfprojSays()
        {
            NanoToolchain tools = NanoTools.Require();
            NanoProjectFile project = NanoProjectFile.Load(NanoTools.AppProject);
            NanoCompilation c = project.Compilation;

            // The settings are the project's own (read from it, not restated here): check they are the device's.
            Assert.Equal("9.0", c.LanguageVersion);
            Assert.True(c.Nullable);
            Assert.True(c.WarningsAsErrors);
            Assert.Contains("NANOFRAMEWORK", c.Defines);
            Assert.True(c.Executable);
            string root = RepositoryPaths.Root;
            string Rel(string f) => Path.GetRelativePath(root, f).Replace('\\', '/');
            Assert.Contains("firmware/HingeSensor.Nano/Program.cs", c.Sources.Select(Rel));
            foreach (string folder in new[] { "firmware/HingeSensor.Nano/Core/", "firmware/HingeSensor.Nano/Hardware/", "shared/HingeSensor.Algorithms/", "shared/HingeSensor.Protocol/" })
                Assert.Contains(c.Sources, s => Rel(s).StartsWith(folder, System.StringComparison.Ordinal));
            Assert.DoesNotContain(c.Sources, s => Rel(s).Contains("/obj/") || Rel(s).Contains("/bin/"));
            // Every package of packages.config is referenced (NanoProjectFile refuses otherwise), mscorlib included.
            Assert.Equal(project.Packages.Count, c.References.Count);

            string dir = NanoTools.TempDirectory();
            try
            {
                NanoBuildResult r = DeviceAppBuild.Build(tools, c, dir);
                Assert.True(r.Ok, r.ToString());
                Assert.True(r.PeBytes > 10000, r.ToString());
            }
            finally { Directory.Delete(dir, true); }
        }

        [SkippableFact]
        public void ACompileErrorInHardwareFailsTheBuildWithTheCompilersMessage()
        {
            NanoToolchain tools = NanoTools.Require();
            NanoCompilation app = NanoProjectFile.Load(NanoTools.AppProject).Compilation;
            string dir = NanoTools.TempDirectory();
            try
            {
                string broken = Path.Combine(dir, "BrokenAdapter.cs");
                File.WriteAllText(broken, "namespace HingeSensor.Nano.Hardware { internal static class BrokenAdapter { public static int Pin() { return UndefinedPin; } } }");
                NanoBuildResult r = DeviceAppBuild.Build(tools, app with { Sources = app.Sources.Append(broken).ToList() }, Path.Combine(dir, "out"));
                Assert.False(r.Ok);
                Assert.Equal("C# compiler", r.Stage);
                Assert.Contains("BrokenAdapter.cs", r.Message);
                Assert.Contains("CS0103", r.Message); // the name 'UndefinedPin' does not exist
            }
            finally { Directory.Delete(dir, true); }
        }

        [SkippableFact]
        public void AWarningFailsTheBuildAsTheProjectTreatsWarningsAsErrors()
        {
            NanoToolchain tools = NanoTools.Require();
            NanoCompilation app = NanoProjectFile.Load(NanoTools.AppProject).Compilation;
            string dir = NanoTools.TempDirectory();
            try
            {
                string warns = Path.Combine(dir, "NullableSlip.cs");
                File.WriteAllText(warns, "namespace HingeSensor.Nano.Hardware { internal static class NullableSlip { public static string Name() { string? s = null; return s; } } }");
                NanoBuildResult r = DeviceAppBuild.Build(tools, app with { Sources = app.Sources.Append(warns).ToList() }, Path.Combine(dir, "out"));
                Assert.False(r.Ok);
                Assert.Contains("CS8603", r.Message); // possible null reference return, an error here
            }
            finally { Directory.Delete(dir, true); }
        }

        [SkippableFact]
        public void AConstructTheDeviceCannotLoadFailsTheBuildWithTheProcessorsMessage()
        {
            NanoToolchain tools = NanoTools.Require();
            string dir = NanoTools.TempDirectory();
            try
            {
                // C# compiles float[,]; nanoFramework has no multidimensional arrays, and the
                // MetadataProcessor refuses this assembly. (Inside the whole app the same processor
                // let a float[,] through: DeviceCompatibilityTests reject them in shared code.)
                string grid = Path.Combine(dir, "GridAdapter.cs");
                File.WriteAllText(grid, "namespace HingeSensor.Nano.Hardware { public static class GridAdapter { public static float Corner() { var g = new float[2, 2]; g[1, 1] = 1f; return g[1, 1]; } } }");
                var snippet = new NanoCompilation { AssemblyName = "GridAdapter", Sources = new[] { grid }, References = new[] { "mscorlib" } };
                NanoBuildResult r = DeviceAppBuild.Build(tools, snippet, Path.Combine(dir, "out"));
                Assert.False(r.Ok);
                Assert.Equal("MetadataProcessor", r.Stage);
                Assert.Contains("System.Single[0...,0...]", r.Message);
            }
            finally { Directory.Delete(dir, true); }
        }
    }
}
