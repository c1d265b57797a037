using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using HingeSensor.Host.Storage;
using HingeSensor.Host.Web;
using HingeSensor.Simulation.Scenarios;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// `hinge serve`: the web dashboard — the live page (stick figure, dowel line, fault banner,
    /// reps, link), the stored sessions and their reports, and buttons for calibration and
    /// recording — on 127.0.0.1 unless another address is asked for.
    /// </summary>
    internal static class ServeCommand
    {
        public static Command Create()
        {
            var o = new DeviceOptions(virtualSpeed: 1);
            var urls = new Option<string[]>("--urls")
            {
                Description = $"Addresses to listen on (default {DashboardUrls.Default}; port 0 picks a free one). Another address than loopback makes the dashboard reachable from the network, behind a login token printed at start.",
                AllowMultipleArgumentsPerToken = true,
            };
            var scenario = new Option<string>("--scenario") { Description = "Virtual device: the wearer's script (a built-in name or a JSON file). To press the calibrate buttons yourself, web/rounding gives 12 s of still stance.", DefaultValueFactory = _ => "demo" };
            var autoCalibrate = new Option<bool>("--auto-calibrate") { Description = "Virtual device: calibrate at the wearer's scripted calibration moments instead of waiting for the buttons." };
            var hold = new Option<double[]>("--hold-button-at")
            {
                Description = "Virtual device: device times (s) at which the wearer holds the button 4.5 s, opening the pairing window; the passkey it buzzes is printed and put in the page's log (pair the web app with it: /app/?as=phone).",
                AllowMultipleArgumentsPerToken = true,
            };
            var cmd = new Command("serve", "The web dashboard: live page, sessions and reports, calibrate and record buttons.") { urls, scenario, autoCalibrate, hold };
            o.AddTo(cmd);
            cmd.SetAction(async (p, ct) =>
            {
                TextWriter output = p.InvocationConfiguration.Output, error = p.InvocationConfiguration.Error;
                bool isVirtual = p.GetValue(o.Virtual);
                if (p.GetValue(autoCalibrate) && !isVirtual)
                {
                    error.WriteLine("hinge serve: --auto-calibrate is for the virtual wearer (add --virtual); a person presses the buttons");
                    return 2;
                }
                double[] holds = p.GetValue(hold) ?? Array.Empty<double>();
                if (holds.Length > 0 && !isVirtual)
                {
                    error.WriteLine("hinge serve: --hold-button-at is for the virtual wearer (add --virtual); a person holds a real device's button");
                    return 2;
                }
                if (holds.Any(s => !(s >= 0) || double.IsInfinity(s)))
                {
                    error.WriteLine($"hinge serve: --hold-button-at: device times are seconds from the device's start, 0 or more, not {string.Join(' ', holds)}");
                    return 2;
                }
                if (isVirtual)
                {
                    // A bad script is the user's typo: say so now rather than on the page.
                    try { ScenarioLoader.Resolve(p.GetValue(scenario)!); }
                    catch (ScenarioException e) { error.WriteLine($"hinge serve: {e.Message}"); return 2; }
                }
                string[] asked = p.GetValue(urls) is { Length: > 0 } u ? u : new[] { DashboardUrls.Default };
                var options = new DashboardOptions
                {
                    Urls = asked,
                    DatabasePath = HingeHome.Database(p.GetValue(o.Db)),
                    Device = o.Selection(p, p.GetValue(scenario)!),
                    // --db moves the virtual device's flash along with the database, as for every other command.
                    VirtualStateDirectory = HingeHome.VirtualDevice(p.GetValue(o.Db)),
                    AutoCalibrate = p.GetValue(autoCalibrate),
                    HoldButtonAtS = holds,
                    PairingSaid = line =>
                    {
                        lock (output)
                        {
                            output.WriteLine(line);
                            output.Flush();
                        }
                    },
                };
                DashboardServer server;
                try { server = await DashboardServer.StartAsync(options, ct); }
                catch (DashboardStartException e)
                {
                    error.WriteLine($"hinge serve: {e.Message}");
                    return 2;
                }
                await using (server)
                {
                    foreach (string url in server.Urls.Where(x => !DashboardUrls.IsLoopback(x)))
                        error.WriteLine($"hinge serve: warning: {url} is reachable from other machines: they need the login token; the traffic is plain http, readable on the network (a TLS proxy in front protects it)");
                    // Tests and scripts wait for this line: it carries the addresses actually bound.
                    if (p.GetValue(o.Json)) output.WriteLine(JsonSerializer.Serialize(new { urls = server.Urls, database = options.DatabasePath, login_token = server.LoginToken }));
                    else
                    {
                        if (server.LoginToken != null)
                            output.WriteLine($"login token: {server.LoginToken} (from another machine open http://THIS-MACHINE:PORT/?token={server.LoginToken}, or type it on the login page)");
                        output.WriteLine($"dashboard on {string.Join(", ", server.Urls)} (sessions from {options.DatabasePath}); Ctrl+C stops");
                    }
                    output.Flush();
                    await server.RunAsync(ct);
                }
                return 0;
            });
            return cmd;
        }
    }
}
