using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace HingeSensor.DevTools.DeviceBuild
{
    /// <summary>What an external tool (compiler, MetadataProcessor, nanoCLR, valgrind) did.</summary>
    public sealed record ToolResult(int ExitCode, string Output, string Error)
    {
        public bool Ok => ExitCode == 0;

        /// <summary>Both streams, for a message.</summary>
        public string Text => (Output + (Output.Length > 0 && Error.Length > 0 ? "\n" : "") + Error).Trim();
    }

    /// <summary>Runs a program to its end, capturing both streams.</summary>
    public static class ToolRun
    {
        /// <summary>The dotnet that started us (the SDK passes it to its children as DOTNET_HOST_PATH), else the one on the PATH.</summary>
        public static string Dotnet()
        {
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h)) return h;
            string? self = Environment.ProcessPath;
            if (self != null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
            return "dotnet";
        }

        public static ToolResult Run(string file, IEnumerable<string> arguments, string? workingDirectory = null,
            IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
        {
            var psi = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
            };
            foreach (string a in arguments) psi.ArgumentList.Add(a);
            if (environment != null)
                foreach (var kv in environment) psi.Environment[kv.Key] = kv.Value;
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(15)))
            {
                try { p.Kill(true); } catch (InvalidOperationException) { }
                throw new TimeoutException($"{Path.GetFileName(file)} did not finish within {timeout ?? TimeSpan.FromMinutes(15)}");
            }
            p.WaitForExit();
            return new ToolResult(p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
