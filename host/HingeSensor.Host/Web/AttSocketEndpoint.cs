using System;
using System.IO;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using HingeSensor.Host.Link.Virtual;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HingeSensor.Host.Web
{
    /// <summary>
    /// GET /api/att (WebSocket; a plain GET answers {virtual, state}): the web app's transport to `hinge serve --virtual`'s device. Each
    /// binary message is one frame of docs/protocol.md Appendix A without its length prefix (the
    /// message carries the length): [type u8][payload]. The frames go to the virtual device's ATT
    /// link model exactly as `hinge virtual-device --listen` takes them over TCP
    /// (<see cref="AttFrameSession"/>), so the app meets the same MTU, pacing, pairing and drops.
    /// The dashboard lends its device for as long as the socket is open (<see cref="DashboardDevice.LendAsync"/>).
    /// </summary>
    public static class AttSocketEndpoint
    {
        public const string Path = "/api/att";

        /// <summary>The longest message taken, as the TCP framing's limit.</summary>
        public const int MaxMessageBytes = LoopbackProtocol.MaxFrameBytes;

        /// <summary>Close status the app reads as "the device cannot be had now" (the reason says why).</summary>
        public const WebSocketCloseStatus Refused = (WebSocketCloseStatus)4001;

        public static void Map(WebApplication app, DashboardDevice device)
        {
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(10) });
            IHostApplicationLifetime lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
            app.Map(Path, async (HttpContext ctx) =>
            {
                // A plain GET asks whether there is a device to lend: the app offers the button only then.
                if (!ctx.WebSockets.IsWebSocketRequest)
                {
                    ctx.Response.Headers.CacheControl = "no-store";
                    await ctx.Response.WriteAsJsonAsync(new { @virtual = device.Virtual, state = device.State.ToString().ToLowerInvariant() });
                    return;
                }
                // A WebSocket is not held back by CORS: without this, any web site open in the same
                // browser could open one to 127.0.0.1 and drive the wearer's device.
                if (!SameOrigin(ctx))
                {
                    ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await ctx.Response.WriteAsync("the device link is for this server's own pages (the Origin header names another site)");
                    return;
                }
                using WebSocket socket = await ctx.WebSockets.AcceptWebSocketAsync();
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, lifetime.ApplicationStopping);
                var (loan, refusal) = await device.LendAsync("the web app");
                if (loan == null)
                {
                    await CloseAsync(socket, Refused, refusal, stop.Token);
                    return;
                }
                await using (loan) await ServeAsync(socket, loan, stop.Token);
            });
        }

        private static bool SameOrigin(HttpContext ctx)
        {
            string? origin = ctx.Request.Headers.Origin;
            // Not a browser (a browser always sends one with a WebSocket): no page can be behind it.
            if (string.IsNullOrEmpty(origin)) return true;
            return Uri.TryCreate(origin, UriKind.Absolute, out Uri? o)
                && o.Scheme == ctx.Request.Scheme
                && string.Equals(o.Authority, ctx.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
        }

        private static async Task ServeAsync(WebSocket socket, DeviceLoan loan, CancellationToken ct)
        {
            var outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
            // The device's notifications come on its thread: queued, one writer sends them in order.
            using var session = new AttFrameSession(loan.Device, (type, payload) => outbox.Writer.TryWrite(Message(type, payload)));
            using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Task writer = Task.Run(async () =>
            {
                await foreach (byte[] m in outbox.Reader.ReadAllAsync(done.Token))
                    await socket.SendAsync(m, WebSocketMessageType.Binary, true, done.Token);
            }, done.Token);
            var buffer = new byte[4096];
            string? problem = null;
            try
            {
                while (true)
                {
                    byte[]? message = await ReceiveAsync(socket, buffer, done.Token);
                    if (message == null) break;
                    if (message.Length == 0)
                    {
                        problem = "an empty message (a frame is at least its type byte)";
                        break;
                    }
                    (byte, byte[])? reply;
                    try { reply = session.Handle(message[0], message[1..]); }
                    catch (InvalidDataException e)
                    {
                        // Only our own app speaks here: a frame it got wrong ends the link, named in the close reason.
                        problem = e.Message;
                        break;
                    }
                    if (reply is var (type, payload)) outbox.Writer.TryWrite(Message(type, payload));
                }
            }
            catch (Exception e) when (e is WebSocketException || e is OperationCanceledException || e is InvalidDataException)
            {
                problem ??= e is InvalidDataException ? e.Message : null;
            }
            finally
            {
                outbox.Writer.TryComplete();
                try { await writer.WaitAsync(TimeSpan.FromSeconds(2)); } catch (Exception) { }
                done.Cancel();
            }
            if (socket.State == WebSocketState.Open || socket.State == WebSocketState.CloseReceived)
                await CloseAsync(socket, problem == null ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.InvalidPayloadData, problem ?? "", CancellationToken.None);
        }

        private static byte[] Message(byte type, byte[] payload)
        {
            var m = new byte[payload.Length + 1];
            m[0] = type;
            payload.CopyTo(m, 1);
            return m;
        }

        // One whole binary message; null when the app closed the socket.
        private static async Task<byte[]?> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken ct)
        {
            using var m = new MemoryStream();
            while (true)
            {
                WebSocketReceiveResult r = await socket.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close) return null;
                if (r.MessageType != WebSocketMessageType.Binary) throw new InvalidDataException("a text message: the frames are binary");
                if (m.Length + r.Count > MaxMessageBytes) throw new InvalidDataException($"a message over {MaxMessageBytes} bytes");
                m.Write(buffer, 0, r.Count);
                if (r.EndOfMessage) return m.ToArray();
            }
        }

        private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken ct)
        {
            // A close reason is at most 123 bytes of UTF-8.
            string said = reason.Length > 120 ? reason[..117] + "…" : reason;
            while (System.Text.Encoding.UTF8.GetByteCount(said) > 123) said = said[..^2] + "…";
            try { await socket.CloseAsync(status, said, ct); }
            catch (Exception e) when (e is WebSocketException || e is OperationCanceledException) { }
        }
    }
}
