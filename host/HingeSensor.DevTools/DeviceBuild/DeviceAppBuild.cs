using System.Collections.Generic;
using System.IO;

namespace HingeSensor.DevTools.DeviceBuild
{
    /// <summary>One assembly compiled and converted: where its .pe is, or what stopped it.</summary>
    public sealed record NanoBuildResult(bool Ok, string Stage, string Message, string Assembly, string Pe)
    {
        public long PeBytes => Ok && File.Exists(Pe) ? new FileInfo(Pe).Length : 0;

        public override string ToString() => Ok ? $"{Path.GetFileName(Pe)}: {PeBytes} bytes" : $"{Stage} failed:\n{Message}";
    }

    /// <summary>Compile for nanoFramework, then turn the assembly into a device .pe: the device build's two steps.</summary>
    public static class DeviceAppBuild
    {
        /// <summary>Builds the sources of a compilation into outputDirectory/AssemblyName.{exe|dll,pe}.</summary>
        public static NanoBuildResult Build(NanoToolchain tools, NanoCompilation c, string outputDirectory, params string[] extraPeReferences)
        {
            Directory.CreateDirectory(outputDirectory);
            string assembly = Path.Combine(outputDirectory, c.AssemblyName + (c.Executable ? ".exe" : ".dll"));
            string pe = Path.Combine(outputDirectory, c.AssemblyName + ".pe");
            ToolResult compiled = tools.Compile(c, assembly);
            if (!compiled.Ok) return new NanoBuildResult(false, "C# compiler", compiled.Text, assembly, pe);
            ToolResult converted = tools.ConvertToPe(assembly, pe, extraPeReferences);
            if (!converted.Ok) return new NanoBuildResult(false, "MetadataProcessor", converted.Text, assembly, pe);
            return new NanoBuildResult(true, "", converted.Text, assembly, pe);
        }

        /// <summary>The device app as its .nfproj builds it (firmware/HingeSensor.Nano).</summary>
        public static NanoBuildResult BuildProject(NanoToolchain tools, string nfproj, string outputDirectory)
        {
            NanoProjectFile project = NanoProjectFile.Load(nfproj);
            return Build(tools, project.Compilation, outputDirectory);
        }

        public static IEnumerable<string> Describe(NanoCompilation c) => new[]
        {
            $"{c.AssemblyName}: {c.Sources.Count} sources, C# {c.LanguageVersion}, nullable {(c.Nullable ? "on" : "off")}, warnings as errors {(c.WarningsAsErrors ? "on" : "off")}, defines {string.Join(";", c.Defines)}",
            $"references: {string.Join(", ", c.References)}",
        };
    }
}
