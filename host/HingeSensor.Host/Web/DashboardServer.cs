using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HingeSensor.Host.Web
{
    /// <summary>What `hinge serve` runs.</summary>
    public sealed record DashboardOptions
    {
        public IReadOnlyList<string> Urls { get; init; } = new[] { DashboardUrls.Default };

        public required string DatabasePath { get; init; }

        /// <summary>The device to open in the background; null serves without one (<see cref="NoDeviceReason"/> says why).</summary>
        public DeviceSelection? Device { get; init; }

        public string NoDeviceReason { get; init; } = "no device connected (started without one: `hinge serve --virtual` runs the virtual device)";

        /// <summary>The virtual device's flash (default: the data directory's).</summary>
        public string? VirtualStateDirectory { get; init; }

        /// <summary>Virtual device only: calibrate at the wearer's scripted moments instead of waiting for the buttons.</summary>
        public bool AutoCalibrate { get; init; }

        /// <summary>Virtual device only: device times (s) at which the wearer holds the button 4.5 s, opening the pairing window (as `hinge virtual-device --hold-button-at`).</summary>
        public IReadOnlyList<double> HoldButtonAtS { get; init; } = Array.Empty<double>();

        /// <summary>Where the pairing window's lines go besides the page's log (the passkey the motor buzzes: `hinge serve` prints them).</summary>
        public Action<string>? PairingSaid { get; init; }

        public ISessionReportRenderer Reports { get; init; } = SessionReports.Default;

        public TimeSpan LiveInterval { get; init; } = LiveHub.DefaultInterval;

        /// <summary>The login token for requests not made on loopback; null: a new random one, if any address is not loopback.</summary>
        public string? LoginToken { get; init; }
    }

    /// <summary>
    /// The web dashboard: Kestrel on the given addresses serving the live page (fed by
    /// <see cref="LiveHub"/> over Server-Sent Events), the stored sessions and the device buttons.
    /// </summary>
    public sealed class DashboardServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private readonly VirtualButton? _button;

        private DashboardServer(WebApplication app, LiveHub hub, DashboardDevice device, IReadOnlyList<string> urls, string? loginToken, VirtualButton? button)
        {
            _app = app;
            _button = button;
            Hub = hub;
            Device = device;
            Urls = urls;
            LoginToken = loginToken;
        }

        public LiveHub Hub { get; }
        public DashboardDevice Device { get; }

        /// <summary>The addresses actually bound (port 0 resolved to the one the system chose).</summary>
        public IReadOnlyList<string> Urls { get; }

        /// <summary>What a browser on another machine must present (null when only loopback is served).</summary>
        public string? LoginToken { get; }

        public static async Task<DashboardServer> StartAsync(DashboardOptions o, CancellationToken ct = default)
        {
            // Report pages render on request threads: ScottPlot's font list must be complete before the first.
            Reports.ReportFonts.Register();
            IReadOnlyList<string> urls = DashboardUrls.Parse(o.Urls);
            bool loopbackOnly = urls.All(DashboardUrls.IsLoopback);
            var access = new DashboardAccess(loopbackOnly ? null : o.LoginToken ?? DashboardAccess.NewToken());

            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                Args = Array.Empty<string>(),
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = Environments.Production,
            });
            builder.WebHost.UseUrls(urls.ToArray());
            // The CLI owns Ctrl+C and the console: no host lifetime messages, problems only, on stderr.
            builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace);
            // A failed start (port in use) is reported by StartAsync's caller in one sentence, not as a stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            WebApplication app = builder.Build();

            var hub = new LiveHub(o.LiveInterval);
            VirtualButton? button = o.Device is { Virtual: true } && o.HoldButtonAtS.Count > 0
                ? new VirtualButton(o.HoldButtonAtS, line => { hub.PublishLog(line, "info"); o.PairingSaid?.Invoke(line); })
                : null;
            DashboardDevice device = o.Device is DeviceSelection sel
                ? new DashboardDevice(async ct2 =>
                {
                    DeviceConnection c = await DeviceConnection.OpenAsync(sel, live: true, ct2, o.VirtualStateDirectory);
                    if (c.Virtual != null) button?.Script(c.Virtual);
                    return c;
                }, Describe(sel), "", hub, o.AutoCalibrate, sel.Virtual)
                : new DashboardDevice(null, "no device", o.NoDeviceReason, hub);

            app.Use(access.InvokeAsync);
            StaticAssets.Map(app);
            LiveEndpoint.Map(app, hub);
            DeviceEndpoints.Map(app, device, o.DatabasePath);
            AttSocketEndpoint.Map(app, device);
            SessionPages.Map(app, o.DatabasePath, o.Reports);

            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e)
            {
                await hub.DisposeAsync();
                await app.DisposeAsync();
                throw new DashboardStartException(e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
                    ? $"cannot listen on {string.Join(", ", urls)}: the port is in use (choose another with --urls http://127.0.0.1:PORT; port 0 picks a free one)"
                    : $"cannot listen on {string.Join(", ", urls)}: {e.Message}", e);
            }
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? urls.ToList();
            device.Start();
            return new DashboardServer(app, hub, device, bound, access.Token, button);
        }

        private static string Describe(DeviceSelection s) =>
            s.Virtual ? $"the virtual device (wearer '{s.Scenario}', time ×{s.Speed:0.##})"
            : s.Device != null ? s.Device
            : "a HingeSensor over Bluetooth";

        /// <summary>Serves until cancelled.</summary>
        public async Task RunAsync(CancellationToken ct)
        {
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
        }

        public async ValueTask DisposeAsync()
        {
            // End the live streams first: the host waits for open requests before it stops.
            await Hub.DisposeAsync();
            await _app.StopAsync(TimeSpan.FromSeconds(5));
            await Device.DisposeAsync();
            if (_button != null) await _button.DisposeAsync();
            await _app.DisposeAsync();
        }

        /// <summary>No console lifetime: `hinge serve` stops when its command's token is cancelled.</summary>
        private sealed class CommandLineLifetime : IHostLifetime
        {
            public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
    }
}
