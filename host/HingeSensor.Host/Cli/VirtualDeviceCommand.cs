using System;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link.Virtual;
using HingeSensor.Host.Storage;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// `hinge virtual-device --listen 127.0.0.1:PORT`: the virtual device as its own process, its
    /// flash a directory that outlives it — so killing the process is a real power cut for the host,
    /// and starting it again boots from whatever reached the flash.
    /// </summary>
    internal static class VirtualDeviceCommand
    {
        public static Command Create()
        {
            var listen = new Option<string>("--listen") { Description = "Loopback address and port to serve on (port 0: any free port; the one chosen is printed).", DefaultValueFactory = _ => "127.0.0.1:0" };
            var scenario = new Option<string>("--scenario") { Description = "The wearer's script (a built-in name or a JSON file).", DefaultValueFactory = _ => "demo" };
            var seed = new Option<int?>("--seed") { Description = "Seed for the wearer (default: the scenario's first)." };
            var speed = new Option<double>("--speed") { Description = "Device seconds per wall-clock second.", DefaultValueFactory = _ => 1 };
            var state = new Option<string?>("--state-dir") { Description = "The device's flash (default: the data directory's virtual-device folder)." };
            var cmd = new Command("virtual-device", "Run the virtual device (the real firmware core on a simulated wearer) as a process serving a loopback link.")
                { listen, scenario, seed, speed, state };
            cmd.SetAction(async (p, ct) =>
            {
                TextWriter o = p.InvocationConfiguration.Output;
                if (!IPEndPoint.TryParse(p.GetValue(listen)!, out IPEndPoint? endpoint) || !IPAddress.IsLoopback(endpoint.Address))
                {
                    p.InvocationConfiguration.Error.WriteLine($"hinge virtual-device: --listen wants a loopback address and port such as 127.0.0.1:5150, not '{p.GetValue(listen)}'");
                    return 2;
                }
                Scenario script;
                try { script = ScenarioLoader.Load(p.GetValue(scenario)!).Scenario; }
                catch (Exception e) when (e is ScenarioException || e is IOException)
                {
                    p.InvocationConfiguration.Error.WriteLine($"hinge virtual-device: {e.Message}");
                    return 2;
                }
                string dir = p.GetValue(state) ?? DataDirectory.VirtualDevice(null);
                using var host = new VirtualDeviceHost(script, p.GetValue(seed) ?? script.Seeds[0], new DirectoryFileStore(dir), p.GetValue(speed));
                TextWriter err = p.InvocationConfiguration.Error;
                var server = new LoopbackServer(host, endpoint) { Log = line => { err.WriteLine($"hinge virtual-device: {line}"); err.Flush(); } };
                try { server.Start(); }
                catch (System.Net.Sockets.SocketException e)
                {
                    p.InvocationConfiguration.Error.WriteLine($"hinge virtual-device: cannot listen on {endpoint}: {e.Message}");
                    return 2;
                }
                host.Start();
                // Tests and scripts wait for this line: it carries the port actually bound.
                o.WriteLine($"listening on tcp://{server.Endpoint} (flash in {Path.GetFullPath(dir)}); Ctrl+C stops");
                o.Flush();
                try { await server.RunAsync(ct); }
                catch (OperationCanceledException) { }
                if (host.Failure != null)
                {
                    p.InvocationConfiguration.Error.WriteLine($"hinge virtual-device: the device failed: {host.Failure}");
                    return 1;
                }
                return 0;
            });
            return cmd;
        }
    }
}
