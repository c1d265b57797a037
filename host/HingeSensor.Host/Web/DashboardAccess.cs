using System;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace HingeSensor.Host.Web
{
    /// <summary>
    /// Who may use the dashboard, decided per request by the address it arrived on:
    /// <list type="bullet">
    /// <item>on a loopback address the person is on this machine; the Host header must then name
    /// loopback too (localhost, 127.0.0.1, ::1), or it is a page from elsewhere that re-pointed its
    /// own name at 127.0.0.1 (DNS rebinding) to reach the buttons;</item>
    /// <item>on any other address (`--urls http://0.0.0.0:PORT`) the request must carry the login
    /// token `hinge serve` printed: a cookie set by the login page or by opening a link with
    /// <c>?token=</c> (which is then taken out of the address, so it stays out of history and
    /// Referer). Tokens are compared in constant time.</item>
    /// </list>
    /// Every answer carries a Content-Security-Policy (scripts only from this server, no framing)
    /// and the headers that keep browsers from framing or sniffing it.
    /// </summary>
    public sealed class DashboardAccess
    {
        public const string CookieName = "hinge_token";
        public const string LoginPath = "/login";

        /// <summary>
        /// Scripts, connections and forms only to this server; images also as data: URIs (the report
        /// plots); styles may be inline, because report pages are self-contained files with their own
        /// CSS (no script is inline anywhere). No plugins, no base rewriting, no framing.
        /// </summary>
        public const string ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

        /// <summary>
        /// The web app's (/app): the same, except that it may also connect to the team server the
        /// person names for uploads — another origin, any https one, or one on this computer.
        /// </summary>
        public static readonly string AppContentSecurityPolicy =
            ContentSecurityPolicy.Replace("connect-src 'self'", "connect-src 'self' https: http://127.0.0.1:* http://localhost:*", StringComparison.Ordinal);

        private readonly byte[]? _tokenHash;

        /// <param name="token">The login token for requests that do not arrive on loopback; null refuses them all.</param>
        public DashboardAccess(string? token)
        {
            Token = token;
            _tokenHash = token == null ? null : Hash(token);
        }

        public string? Token { get; }

        /// <summary>A new login token: 256 random bits, URL-safe base64.</summary>
        public static string NewToken() =>
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public async Task InvokeAsync(HttpContext ctx, Func<Task> next)
        {
            IHeaderDictionary h = ctx.Response.Headers;
            h.ContentSecurityPolicy = ctx.Request.Path.StartsWithSegments("/app") ? AppContentSecurityPolicy : ContentSecurityPolicy;
            h.XFrameOptions = "DENY";
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer";

            if (IsLoopback(ctx.Connection.LocalIpAddress))
            {
                string host = ctx.Request.Host.Host;
                if (host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip)))
                {
                    await next();
                    return;
                }
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                await ctx.Response.WriteAsync($"on this address the dashboard answers to localhost and 127.0.0.1 only, not '{host}'");
                return;
            }

            PathString path = ctx.Request.Path;
            if (path == LoginPath)
            {
                await LoginAsync(ctx);
                return;
            }
            // The page's code and style hold nothing of the wearer's; the login page needs the style.
            if (path.StartsWithSegments("/assets") || Matches(ctx.Request.Cookies[CookieName]))
            {
                await next();
                return;
            }
            StringValues offered = ctx.Request.Query["token"];
            if (offered.Count > 0)
            {
                if (Matches(offered[0]))
                {
                    LogIn(ctx, ctx.Request.PathBase + path);
                    return;
                }
                await LoginPageAsync(ctx, StatusCodes.Status401Unauthorized, "That token is not this dashboard's.");
                return;
            }
            if (path.StartsWithSegments("/api"))
            {
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await ctx.Response.WriteAsync("log in first: this dashboard wants the login token `hinge serve` printed");
                return;
            }
            await LoginPageAsync(ctx, StatusCodes.Status401Unauthorized, null);
        }

        private async Task LoginAsync(HttpContext ctx)
        {
            if (!HttpMethods.IsPost(ctx.Request.Method))
            {
                await LoginPageAsync(ctx, StatusCodes.Status200OK, null);
                return;
            }
            string? token = ctx.Request.HasFormContentType ? (await ctx.Request.ReadFormAsync(ctx.RequestAborted))["token"].ToString() : null;
            if (Matches(token)) LogIn(ctx, "/");
            else await LoginPageAsync(ctx, StatusCodes.Status401Unauthorized, "That token is not this dashboard's.");
        }

        private void LogIn(HttpContext ctx, string to)
        {
            ctx.Response.Cookies.Append(CookieName, Token!, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
            ctx.Response.StatusCode = StatusCodes.Status303SeeOther;
            ctx.Response.Headers.Location = to.Length == 0 ? "/" : to;
        }

        private static Task LoginPageAsync(HttpContext ctx, int status, string? problem)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "text/html; charset=utf-8";
            ctx.Response.Headers.CacheControl = "no-store";
            string body = "<h1>Log in</h1>\n"
                + (problem == null ? "" : $"<p class=\"error\">{HtmlPage.Encode(problem)}</p>\n")
                + "<p>This dashboard is reachable from other machines, so it wants the login token <code>hinge serve</code> printed when it started.</p>\n"
                + $"<form method=\"post\" action=\"{LoginPath}\"><label>Login token <input name=\"token\" type=\"password\" autocomplete=\"off\" required></label> <button type=\"submit\">Log in</button></form>";
            return ctx.Response.WriteAsync(HtmlPage.Wrap("Log in", body));
        }

        private bool Matches(string? offered) =>
            _tokenHash != null && offered != null && CryptographicOperations.FixedTimeEquals(Hash(offered), _tokenHash);

        // Hashing first makes the comparison's time independent of the offered token's length too.
        private static byte[] Hash(string s) => SHA256.HashData(Encoding.UTF8.GetBytes(s));

        private static bool IsLoopback(IPAddress? local)
        {
            if (local == null) return false;
            if (local.IsIPv4MappedToIPv6) local = local.MapToIPv4();
            return IPAddress.IsLoopback(local);
        }
    }
}
