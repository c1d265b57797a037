using System;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using HingeSensor.Server.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HingeSensor.Server.Web
{
    /// <summary>
    /// Two ways to be someone: a browser signs in with email and password and carries a cookie
    /// (HttpOnly, Secure, SameSite=Strict; a TLS proxy is expected in front, docs/team-server.md);
    /// `hinge sync` and scripts send an upload token as "Authorization: Bearer hst_…". A request
    /// with an Authorization header is judged by the token alone.
    /// </summary>
    public static class ServerAuth
    {
        public const string Either = "either";
        public const string Cookie = "cookie";
        public const string Token = "token";
        public const string CookieName = "hinge_signin";
        public const string TokenIdClaim = "hinge_token_id";

        public static void Add(IServiceCollection services, TeamServerOptions o)
        {
            services.AddAuthentication(Either)
                .AddPolicyScheme(Either, "cookie or upload token", p => p.ForwardDefaultSelector = ctx => ctx.Request.Headers.Authorization.Count > 0 ? Token : Cookie)
                .AddCookie(Cookie, c =>
                {
                    c.Cookie.Name = CookieName;
                    c.Cookie.HttpOnly = true;
                    c.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                    c.Cookie.SameSite = SameSiteMode.Strict;
                    c.ExpireTimeSpan = o.SignInLifetime;
                    c.SlidingExpiration = true;
                    c.LoginPath = LoginPages.LoginPath;
                    c.Events.OnRedirectToLogin = ctx => ApiOrRedirect(ctx, StatusCodes.Status401Unauthorized, "sign in first (POST /login), or send an upload token");
                    c.Events.OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx, StatusCodes.Status403Forbidden, "not allowed");
                    // A person disabled or removed since signing in is out at their next request.
                    c.Events.OnValidatePrincipal = async ctx =>
                    {
                        Person? p = ctx.Principal == null ? null : await ctx.HttpContext.RequestServices.GetRequiredService<AccountStore>().FindAsync(PersonId(ctx.Principal));
                        if (p == null || p.Disabled)
                        {
                            ctx.RejectPrincipal();
                            await ctx.HttpContext.SignOutAsync(Cookie);
                        }
                    };
                })
                .AddScheme<AuthenticationSchemeOptions, UploadTokenHandler>(Token, null);
            services.AddAuthorization();
        }

        private static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> ctx, int status, string error)
        {
            if (ctx.Request.Path.StartsWithSegments("/api"))
            {
                ctx.Response.StatusCode = status;
                return ctx.Response.WriteAsJsonAsync(new { error });
            }
            ctx.Response.Redirect(ctx.RedirectUri);
            return Task.CompletedTask;
        }

        public static ClaimsPrincipal Principal(long personId, string scheme, long? tokenId = null)
        {
            var identity = new ClaimsIdentity(scheme);
            identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, personId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (tokenId is long t) identity.AddClaim(new Claim(TokenIdClaim, t.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return new ClaimsPrincipal(identity);
        }

        public static long PersonId(ClaimsPrincipal user) =>
            long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("not signed in"), System.Globalization.CultureInfo.InvariantCulture);

        public static long? TokenId(ClaimsPrincipal user) =>
            user.FindFirstValue(TokenIdClaim) is string t ? long.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>"Authorization: Bearer hst_…": the person whose upload token it is, unless it is revoked or unknown.</summary>
    internal sealed class UploadTokenHandler : AuthenticationHandler<AuthenticationSchemeOptions>
    {
        private readonly AccountStore _accounts;

        public UploadTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccountStore accounts)
            : base(options, logger, encoder) => _accounts = accounts;

        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            string header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return AuthenticateResult.Fail("the Authorization header is not \"Bearer <upload token>\"");
            var who = await _accounts.AuthenticateTokenAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
            if (who == null) return AuthenticateResult.Fail("the upload token is unknown or revoked");
            return AuthenticateResult.Success(new AuthenticationTicket(ServerAuth.Principal(who.Value.PersonId, ServerAuth.Token, who.Value.TokenId), ServerAuth.Token));
        }

        protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            AuthenticateResult r = await HandleAuthenticateOnceSafeAsync();
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await Response.WriteAsJsonAsync(new { error = r.Failure?.Message ?? "an upload token is needed" });
        }
    }
}
