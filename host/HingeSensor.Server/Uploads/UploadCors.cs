using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace HingeSensor.Server.Uploads
{
    /// <summary>
    /// Cross-origin access for the upload routes only, and only with an upload token: the web app
    /// runs on another origin than the team server (a phone opens it from any HTTPS host) and
    /// uploads with the person's token, as `hinge sync` does. Its requests carry
    /// <c>Authorization</c>, so the browser asks first (a preflight, answered here before the
    /// sign-in and https rules, which a preflight cannot meet: it carries no credentials).
    ///
    /// Never for cookies: no <c>Access-Control-Allow-Credentials</c>, so a browser neither sends the
    /// sign-in cookie on a cross-origin request nor lets a page read an answer made with one; and a
    /// cross-origin request without a token gets no CORS headers at all. Every other route — the
    /// pages, the cookie API, sign-in — answers no other origin.
    /// </summary>
    public static class UploadCors
    {
        public const string Routes = "/api/uploads";

        private const string Methods = "GET, PUT";
        private const string Headers = "Authorization, Content-Type, Content-Range";
        private static readonly string[] AllowedHeaders = { "authorization", "content-type", "content-range" };

        public static async Task InvokeAsync(HttpContext ctx, Func<Task> next)
        {
            HttpRequest r = ctx.Request;
            string? origin = r.Headers.Origin;
            if (string.IsNullOrEmpty(origin) || !r.Path.StartsWithSegments(Routes))
            {
                await next();
                return;
            }
            IHeaderDictionary h = ctx.Response.Headers;
            if (HttpMethods.IsOptions(r.Method) && r.Headers.AccessControlRequestMethod.Count > 0)
            {
                // The preflight: what the real request may be. Anything else is answered without
                // permission, and the browser does not send it.
                string method = r.Headers.AccessControlRequestMethod.ToString();
                string[] asked = r.Headers.AccessControlRequestHeaders.ToString()
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                bool allowed = (method == HttpMethods.Get || method == HttpMethods.Put)
                    && asked.All(x => AllowedHeaders.Contains(x.ToLowerInvariant()))
                    && asked.Any(x => x.Equals("authorization", StringComparison.OrdinalIgnoreCase));
                h.Vary = "Origin";
                if (allowed)
                {
                    h.AccessControlAllowOrigin = origin;
                    h.AccessControlAllowMethods = Methods;
                    h.AccessControlAllowHeaders = Headers;
                    h.AccessControlMaxAge = "600";
                }
                ctx.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            if (r.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
            {
                h.AccessControlAllowOrigin = origin;
                h.Vary = "Origin";
            }
            await next();
        }
    }
}
