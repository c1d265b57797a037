using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>
    /// `hinge virtual-device` run by the CLI in this process: the same command and the same loopback
    /// link as the process, without a process start. Its output is read as it comes; disposing it
    /// switches the device off (the server closes the host's connection, as a power cut would).
    /// Tests about the process itself (killed, signalled) use <see cref="VirtualBench.StartProcess"/>.
    /// </summary>
    internal sealed class VirtualDeviceRun : IAsyncDisposable
    {
        private readonly StringWriter _out = new();
        private readonly StringWriter _err = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<int> _run;

        public VirtualDeviceRun(params string[] args)
        {
            var config = new InvocationConfiguration { Output = TextWriter.Synchronized(_out), Error = TextWriter.Synchronized(_err) };
            _run = Task.Run(() => HingeCli.Build().Parse(new[] { "virtual-device" }.Concat(args).ToArray()).InvokeAsync(config, _stop.Token));
        }

        /// <summary>Starts one listening on 127.0.0.1:<paramref name="port"/> (0: any) with its flash in <paramref name="stateDir"/>, and waits until it listens.</summary>
        public static async Task<VirtualDeviceRun> StartAsync(string stateDir, int port = 0, double speed = 5, params string[] more)
        {
            var run = new VirtualDeviceRun(new[] { "--listen", $"127.0.0.1:{port}", "--state-dir", stateDir, "--speed", speed.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(more).ToArray());
            run.Url = (await run.LineAsync("listening on tcp://")).Split(' ')[2];
            return run;
        }

        /// <summary>
        /// The same device switched on again at the same address after <see cref="DisposeAsync"/>:
        /// it boots from the flash in <paramref name="stateDir"/>. Waits for the port to be free first
        /// (take it from <see cref="LoopbackPorts.OutsideEphemeralRange"/>, so nothing else is given it meanwhile).
        /// </summary>
        public static async Task<VirtualDeviceRun> RestartAsync(string stateDir, string url, double speed = 5)
        {
            int port = int.Parse(url[(url.LastIndexOf(':') + 1)..]);
            await LoopbackPorts.WaitUntilFreeAsync(port, TimeSpan.FromSeconds(30));
            return await StartAsync(stateDir, port, speed);
        }

        public string Url { get; private set; } = "";

        public string Output => _out.ToString();

        /// <summary>The first output line starting with <paramref name="start"/>, waiting up to a minute for it.</summary>
        public async Task<string> LineAsync(string start)
        {
            var patience = Stopwatch.StartNew();
            while (true)
            {
                string? line = Output.Split('\n').FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal));
                if (line != null) return line.TrimEnd('\r');
                Assert.False(_run.IsCompleted, "the virtual device stopped: " + _err);
                if (patience.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException($"no line starting '{start}' in: {Output}");
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _run;
        }
    }
}
