using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HingeSensor.Server.Web
{
    /// <summary>
    /// Cross-site request forgery: a browser sends the sign-in cookie with any request, whoever's
    /// page made it, so every request that changes something (POST, PUT, PATCH, DELETE) without an
    /// Authorization header must also carry the antiforgery token this server handed out — as the
    /// form field of the pages' forms, or as the X-CSRF-Token header (from GET /api/csrf). The
    /// sign-in form is checked too (login CSRF). A request carrying an upload token is not: no
    /// other site's page can make a browser add that header.
    /// </summary>
    public static class CsrfGuard
    {
        public const string HeaderName = "X-CSRF-Token";
        public const string FieldName = "csrf";
        public const string CookieName = "hinge_csrf";

        public static void Add(IServiceCollection services) => services.AddAntiforgery(a =>
        {
            a.HeaderName = HeaderName;
            a.FormFieldName = FieldName;
            a.Cookie.Name = CookieName;
            a.Cookie.HttpOnly = true;
            a.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
            a.Cookie.SameSite = SameSiteMode.Strict;
        });

        public static async Task InvokeAsync(HttpContext ctx, Func<Task> next)
        {
            if (!(HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method) || HttpMethods.IsOptions(ctx.Request.Method))
                && ctx.Request.Headers.Authorization.Count == 0)
            {
                try { await ctx.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(ctx); }
                catch (AntiforgeryValidationException)
                {
                    ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await ctx.Response.WriteAsJsonAsync(new { error = $"the antiforgery token is missing or wrong: send the {FieldName} field of this server's form, or the {HeaderName} header from GET /api/csrf" });
                    return;
                }
            }
            await next();
        }
    }
}
