using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using HingeSensor.Server.Accounts;
using HingeSensor.Server.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HingeSensor.Server.Web
{
    /// <summary>
    /// The browser's way in: the sign-in form (email, password, antiforgery field), sign-out, and a
    /// first page saying who is signed in, with links to their trend and the teams they coach
    /// (Views/CoachPages), and the newest sessions they may see.
    /// </summary>
    public static class LoginPages
    {
        public const string LoginPath = "/login";

        public static void Map(IEndpointRouteBuilder app, LoginThrottle throttle)
        {
            app.MapGet(LoginPath, (HttpContext ctx, IAntiforgery af) => Page("Sign in", LoginForm(af.GetAndStoreTokens(ctx).RequestToken!, null)));

            app.MapPost(LoginPath, async (HttpContext ctx, IAntiforgery af, AccountStore accounts) =>
            {
                IFormCollection form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
                string email = form["email"].ToString(), password = form["password"].ToString();
                string address = ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                if (!throttle.TryAttempt(email.Trim().ToLowerInvariant(), address))
                {
                    ctx.Response.Headers.RetryAfter = ((int)throttle.Window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    return Page("Sign in", "<p class=\"error\">Too many sign-in attempts: wait a while and try again.</p>", StatusCodes.Status429TooManyRequests);
                }
                long? person = await accounts.SignInAsync(email, password, ctx.RequestAborted);
                if (person == null)
                    return Page("Sign in", LoginForm(af.GetAndStoreTokens(ctx).RequestToken!, "Wrong email or password."), StatusCodes.Status401Unauthorized);
                await ctx.SignInAsync(ServerAuth.Cookie, ServerAuth.Principal(person.Value, ServerAuth.Cookie));
                return Results.Redirect("/", permanent: false, preserveMethod: false);
            });

            app.MapPost("/logout", async (HttpContext ctx) =>
            {
                await ctx.SignOutAsync(ServerAuth.Cookie);
                return Results.Redirect(LoginPath);
            });

            app.MapGet("/", async (HttpContext ctx, IAntiforgery af, AccountStore accounts, SessionQueries sessions) =>
            {
                long me = ServerAuth.PersonId(ctx.User);
                Person? person = await accounts.FindAsync(me, ctx.RequestAborted);
                IReadOnlyList<Membership> teams = await accounts.MembershipsAsync(me, ctx.RequestAborted);
                SessionPage page = await sessions.ListAsync(me, null, null, 50, ctx.RequestAborted);
                var html = new StringBuilder();
                html.Append($"<p>Signed in as {E(person!.DisplayName)} ({E(person.Email)})");
                if (teams.Count > 0) html.Append(": ").Append(string.Join(", ", teams.Select(t => $"{E(t.Role)} in {E(t.Team)}")));
                html.Append($"</p><p><a href=\"/people/{me}\">My trend</a>");
                foreach (Membership t in teams.Where(t => t.Role == Roles.Coach))
                    html.Append($" · <a href=\"/teams/{t.TeamId}\">{E(t.Team)} at a glance</a>");
                html.Append($"</p><form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"{CsrfGuard.FieldName}\" value=\"{E(af.GetAndStoreTokens(ctx).RequestToken!)}\"><button>Sign out</button></form>");
                html.Append("<h2>Newest sessions</h2><table><tr><th>person</th><th>device</th><th>started (UTC)</th><th>min</th><th>reps</th><th>with a fault</th><th>alerts</th></tr>");
                foreach (SessionRow s in page.Sessions)
                    html.Append($"<tr><td><a href=\"/people/{s.PersonId}\">{E(s.Person)}</a></td><td><a href=\"/sessions/{s.Id}\">{E(s.Device)} #{s.DeviceSessionId}</a></td><td>{s.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm}</td><td>{s.DurationS / 60:0.0}</td>"
                        + $"<td>{s.Reps}</td><td>{s.RepsWithFault}</td><td>{s.BackRoundingAlerts + s.ChinDropAlerts + s.HeadUpAlerts}</td></tr>");
                html.Append("</table>");
                if (page.Sessions.Count == 0) html.Append("<p>No sessions yet: `hinge sync --server URL --token TOKEN` uploads them.</p>");
                return Page("HingeSensor team server", html.ToString());
            }).RequireAuthorization(p => p.AddAuthenticationSchemes(ServerAuth.Cookie).RequireAuthenticatedUser());
        }

        private static string LoginForm(string csrf, string? error) =>
            (error == null ? "" : $"<p class=\"error\">{E(error)}</p>")
            + $"<form method=\"post\" action=\"{LoginPath}\"><input type=\"hidden\" name=\"{CsrfGuard.FieldName}\" value=\"{E(csrf)}\">"
            + "<label>Email <input name=\"email\" type=\"email\" autocomplete=\"username\" required></label> "
            + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label> <button>Sign in</button></form>";

        private static IResult Page(string title, string body, int status = StatusCodes.Status200OK) => Results.Content(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title></head><body><h1>{E(title)}</h1>{body}</body></html>",
            "text/html; charset=utf-8", Encoding.UTF8, status);

        private static string E(string s) => WebUtility.HtmlEncode(s);
    }
}
