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
using HingeSensor.VirtualDevice.Link;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// `hinge virtual-device --listen 127.0.0.1:PORT`: the virtual device as its own process, its
    /// flash a directory that outlives it — so killing the process is a real power cut for the host,
    /// and starting it again boots from whatever reached the flash.
    ///
    /// Pairing: by default the device starts bonded with "this computer" (as after `hinge pair`),
    /// so device commands work at once. With --unpaired it holds no bond and refuses them until
    /// `hinge pair --device tcp://…`; the virtual wearer opens the pairing window by holding the
    /// button at the device times given with --hold-button-at, and the process prints the passkey
    /// the motor buzzes, read back from the motor as the wearer would count it.
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
            var unpaired = new Option<bool>("--unpaired") { Description = "Start with no bonded host: device commands are refused until `hinge pair --device tcp://…`." };
            var hold = new Option<double[]>("--hold-button-at")
            {
                Description = "Device times (s) at which the virtual wearer holds the button 4.5 s, opening the pairing window; the passkey it buzzes is printed.",
                AllowMultipleArgumentsPerToken = true,
            };
            var cmd = new Command("virtual-device", "Run the virtual device (the real firmware core on a simulated wearer) as a process serving a loopback link.")
                { listen, scenario, seed, speed, state, unpaired, hold };
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
                string dir = p.GetValue(state) ?? HingeHome.VirtualDevice(null);
                using var host = new VirtualDeviceHost(script, p.GetValue(seed) ?? script.Seeds[0], new DirectoryFileStore(dir), p.GetValue(speed));
                if (!p.GetValue(unpaired)) host.Rig.Bonds.Add(AttLinkModel.DefaultHost);
                foreach (double at in p.GetValue(hold) ?? Array.Empty<double>()) host.Rig.HoldButton(at, 4.5);
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
                o.WriteLine($"listening on tcp://{server.Endpoint} (flash in {Path.GetFullPath(dir)}); {(p.GetValue(unpaired) ? "not paired with any host; " : "")}Ctrl+C stops");
                o.Flush();
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                Task watching = p.GetValue(hold) is { Length: > 0 } ? PairingWatch.RunAsync(host, line => { o.WriteLine(line); o.Flush(); }, stop.Token) : Task.CompletedTask;
                try { await server.RunAsync(ct); }
                catch (OperationCanceledException) { }
                stop.Cancel();
                await watching;
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
