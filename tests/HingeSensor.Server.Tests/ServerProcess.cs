using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// `hinge server --db … --urls http://127.0.0.1:PORT` as a process of its own, as a deployment
    /// runs it: it can be killed (SIGKILL, nothing flushed, no shutdown) and started again on the
    /// same port. The port lies below the ephemeral range (<see cref="LoopbackPorts"/>) so nobody
    /// takes it in between.
    /// </summary>
    public sealed class ServerProcess : IDisposable
    {
        private readonly string _connectionString;
        private Process? _process;

        public ServerProcess(string connectionString)
        {
            _connectionString = connectionString;
            Port = LoopbackPorts.OutsideEphemeralRange();
            Url = new Uri($"http://127.0.0.1:{Port}/");
        }

        public int Port { get; }
        public Uri Url { get; }

        /// <summary>What every run of the process printed, stdout and stderr.</summary>
        public CapturedWriter Log { get; } = new();

        /// <summary>Starts the process and waits until GET /health answers 200.</summary>
        public async Task StartAsync()
        {
            await LoopbackPorts.WaitUntilFreeAsync(Port, TimeSpan.FromSeconds(30));
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "hinge.dll"), "server", "--db", _connectionString, "--urls", Url.ToString().TrimEnd('/') })
                psi.ArgumentList.Add(a);
            Process p = Process.Start(psi)!;
            // Drained, so that a chatty server never blocks on a full pipe.
            p.OutputDataReceived += (_, e) => Log.WriteLine(e.Data);
            p.ErrorDataReceived += (_, e) => Log.WriteLine(e.Data);
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            _process = p;
            using var http = new HttpClient { BaseAddress = Url };
            await ServerRun.WaitForAsync(async () =>
            {
                try
                {
                    using HttpResponseMessage r = await http.GetAsync("health");
                    return r.StatusCode;
                }
                catch (HttpRequestException) { return HttpStatusCode.ServiceUnavailable; }
            }, s => s == HttpStatusCode.OK || p.HasExited, "the server process's /health", Log);
            if (p.HasExited) Assert.Fail($"hinge server exited {p.ExitCode}: {Log.Text}");
        }

        /// <summary>SIGKILL: the process ends where it is, mid-request included.</summary>
        public void Kill()
        {
            if (_process == null) return;
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
            _process = null;
        }

        public void Dispose() => Kill();
    }
}
