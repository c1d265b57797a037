using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HingeSensor.Host.Web
{
    /// <summary>GET /api/live: the live stream as Server-Sent Events (events: device, frame, link, log).</summary>
    public static class LiveEndpoint
    {
        public static void Map(WebApplication app, LiveHub hub)
        {
            app.MapGet("/api/live", async (HttpContext ctx) =>
            {
                using LiveSubscriber? sub = hub.Subscribe();
                if (sub == null)
                {
                    ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    await ctx.Response.WriteAsync($"too many live pages open (at most {LiveHub.MaxSubscribers}): close some", ctx.RequestAborted);
                    return;
                }
                ctx.Response.ContentType = "text/event-stream";
                ctx.Response.Headers.CacheControl = "no-store";
                ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                CancellationToken ct = ctx.RequestAborted;
                try
                {
                    // The browser reconnects by itself after a second if the stream breaks.
                    await ctx.Response.WriteAsync("retry: 1000\n\n", ct);
                    await ctx.Response.Body.FlushAsync(ct);
                    while (await sub.NextAsync(ct) is string message)
                    {
                        await ctx.Response.WriteAsync(message, ct);
                        await ctx.Response.Body.FlushAsync(ct);
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            });
        }
    }
}
