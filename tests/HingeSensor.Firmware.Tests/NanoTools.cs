using System;
using System.IO;
using HingeSensor.DevTools.DeviceBuild;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>
    /// The nanoFramework toolkit for a test: skips saying why where it is missing, except in CI
    /// (HINGESENSOR_CI=1, .ci/run), where a missing toolkit is a failure.
    /// </summary>
    internal static class NanoTools
    {
        public static NanoToolchain Require()
        {
            NanoToolchain? tools = Find(out string why);
            if (tools != null) return tools;
            if (NanoToolchain.InCi) Assert.Fail("HINGESENSOR_CI=1 but the device toolkit cannot be used: " + why);
            Skip.If(true, why);
            throw new InvalidOperationException("unreachable");
        }

        /// <summary>
        /// The toolkit with the test run's build cache: the device build and the device bench compile
        /// and convert the same app, libraries and entry points, each step once per run.
        /// </summary>
        public static NanoToolchain? Find(out string why)
        {
            NanoToolchain? tools = NanoToolchain.Find(out why);
            if (tools != null) tools.Cache = SharedCache.Value;
            return tools;
        }

        private const string CachePrefix = "hinge-nano-cache-";

        // One per test process, named after it: removed when the process exits, and a cache whose
        // process is gone without that (a run stopped halfway) is removed by the next one.
        private static readonly Lazy<NanoBuildCache> SharedCache = new(() =>
        {
            foreach (string stale in Directory.GetDirectories(Path.GetTempPath(), CachePrefix + "*"))
            {
                if (int.TryParse(Path.GetFileName(stale).Substring(CachePrefix.Length), out int pid) && !Directory.Exists("/proc/" + pid))
                    try { Directory.Delete(stale, true); } catch (IOException) { }
            }
            string dir = Path.Combine(Path.GetTempPath(), CachePrefix + Environment.ProcessId);
            if (Directory.Exists(dir)) Directory.Delete(dir, true); // a pid reused from an earlier run
            Directory.CreateDirectory(dir);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try { Directory.Delete(dir, true); } catch (IOException) { }
            };
            return new NanoBuildCache(dir);
        });

        public static string AppProject => RepositoryPaths.InRepo("firmware", "HingeSensor.Nano", "HingeSensor.Nano.nfproj");

        /// <summary>A fresh directory for build outputs, removed by the caller.</summary>
        public static string TempDirectory()
        {
            string dir = Path.Combine(Path.GetTempPath(), "hinge-nano-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }
    }
}
