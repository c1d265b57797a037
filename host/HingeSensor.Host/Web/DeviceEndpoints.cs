using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Host.Client;
using HingeSensor.Host.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HingeSensor.Host.Web
{
    /// <summary>
    /// The buttons: POST /api/device/calibrate/{neutral|hinge|range}, /api/device/recording/{start|stop},
    /// /api/device/download. Each answers {ok, message[, session]} with a status that says how it went.
    /// </summary>
    public static class DeviceEndpoints
    {
        /// <summary>
        /// A header a page's script sends and a cross-site form cannot (a custom header needs a CORS
        /// preflight, which this server never grants): another web site open in the same browser
        /// cannot press the buttons.
        /// </summary>
        public const string ActionHeader = "X-Hinge-Action";

        public static void Map(WebApplication app, DashboardDevice device, string databasePath)
        {
            app.MapPost("/api/device/calibrate/{step}", (HttpContext ctx, string step) => Guarded(ctx, ct =>
            {
                CalibrationStep? s = DeviceActions.ParseStep(step);
                return s is CalibrationStep known
                    ? device.CalibrateAsync(known, ct)
                    : Task.FromResult(new ActionReply(false, $"no calibration step '{step}': neutral, hinge or range", 404));
            }));
            app.MapPost("/api/device/recording/{verb}", (HttpContext ctx, string verb) => Guarded(ctx, ct => verb switch
            {
                "start" => device.StartRecordingAsync(ct),
                "stop" => device.StopRecordingAsync(ct),
                _ => Task.FromResult(new ActionReply(false, $"no recording action '{verb}': start or stop", 404)),
            }));
            // Typed as a Func: a lambda taking only the HttpContext would bind as a RequestDelegate and its result be dropped.
            app.MapPost("/api/device/download", (Func<HttpContext, Task<IResult>>)(ctx => Guarded(ctx, ct =>
                device.RunAsync("downloading sessions", (c, t) => DownloadAsync(c, databasePath, t), ct))));
        }

        // Same as `hinge device download`: finished sessions into the database, every chunk checked, left on the device.
        private static async Task<ActionReply> DownloadAsync(DeviceConnection c, string databasePath, CancellationToken ct)
        {
            using var db = new SessionDatabase(databasePath);
            var synced = await SessionSync.SyncAsync(c, db, erase: false, ct: ct);
            if (synced.Count == 0) return new ActionReply(true, "no finished sessions on the device");
            string list = string.Join(", ", synced.Select(s => s.Describe()));
            return new ActionReply(synced.All(s => s.Outcome is SyncOutcome.Stored or SyncOutcome.AlreadyStored), $"downloaded {list}");
        }

        private static async Task<IResult> Guarded(HttpContext ctx, Func<CancellationToken, Task<ActionReply>> action)
        {
            ActionReply reply = ctx.Request.Headers.ContainsKey(ActionHeader)
                ? await action(ctx.RequestAborted)
                : new ActionReply(false, $"device actions need the {ActionHeader} header (the dashboard's page sends it)", 403);
            return Results.Json(new { ok = reply.Ok, message = reply.Message, session = reply.SessionId }, statusCode: reply.HttpStatus);
        }
    }
}
