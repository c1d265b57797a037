using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>
    /// Node.js, which runs the JavaScript codec's tests. Missing, those tests skip saying why, except
    /// in CI (HINGESENSOR_CI=1), which installs it (.ci/run) and so must fail loudly without it.
    /// </summary>
    internal static class NodeJs
    {
        private static readonly Lazy<string?> Found = new(() =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Where(d => d.Length > 0)
                .Select(d => Path.Combine(d, "node")).FirstOrDefault(File.Exists));

        /// <summary>The node executable, or a skip (a failure in CI) saying there is none.</summary>
        public static string Executable
        {
            get
            {
                if (Found.Value != null) return Found.Value;
                const string why = "node is not installed (apt-get install nodejs); the JavaScript codec tests skipped";
                if (BrowserFixture.InCi) Assert.Fail("HINGESENSOR_CI=1 but " + why);
                Skip.If(true, why);
                throw new InvalidOperationException("unreachable");
            }
        }

        /// <summary>Runs a script to its end; its exit code and everything it printed.</summary>
        public static (int ExitCode, string Output) Run(params string[] arguments)
        {
            var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in arguments) start.ArgumentList.Add(a);
            using Process p = Process.Start(start)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout + stderr.Result);
        }
    }
}
