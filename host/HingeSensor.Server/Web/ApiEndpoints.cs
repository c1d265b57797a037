using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Server.Accounts;
using HingeSensor.Server.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HingeSensor.Server.Web
{
    /// <summary>
    /// The JSON API (docs/team-server.md): who am I, antiforgery token, upload tokens, sessions.
    /// Everything needs a signed-in person or an upload token; what one may not see answers 404,
    /// like what does not exist.
    /// </summary>
    public static class ApiEndpoints
    {
        public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

        public sealed record NewToken(string? Label, long? PersonId);

        public static void Map(IEndpointRouteBuilder app)
        {
            RouteGroupBuilder api = app.MapGroup("/api").RequireAuthorization();

            // For pages and scripts that call the API with the sign-in cookie: the token to send as X-CSRF-Token.
            app.MapGet("/api/csrf", (HttpContext ctx, IAntiforgery af) => Results.Json(new { token = af.GetAndStoreTokens(ctx).RequestToken }, Json));

            api.MapGet("/me", async (HttpContext ctx, AccountStore accounts) =>
            {
                long me = ServerAuth.PersonId(ctx.User);
                Person p = (await accounts.FindAsync(me, ctx.RequestAborted))!;
                IReadOnlyList<Membership> teams = await accounts.MembershipsAsync(me, ctx.RequestAborted);
                return Results.Json(new { id = p.Id, email = p.Email, name = p.DisplayName, teams = teams.Select(t => new { id = t.TeamId, name = t.Team, role = t.Role }) }, Json);
            });

            api.MapGet("/tokens", async (HttpContext ctx, AccountStore accounts, long? person) =>
            {
                long me = ServerAuth.PersonId(ctx.User);
                long whose = person ?? me;
                if (!await accounts.MaySeeAsync(me, whose, ctx.RequestAborted)) return NotFound("no such person");
                return Results.Json(new { tokens = await accounts.TokensAsync(whose, ctx.RequestAborted) }, Json);
            });

            // A new upload token for oneself, or for a person in a team one coaches; the secret is shown this once.
            api.MapPost("/tokens", async (HttpContext ctx, AccountStore accounts, NewToken body) =>
            {
                long me = ServerAuth.PersonId(ctx.User);
                long whose = body.PersonId ?? me;
                if (!await accounts.MaySeeAsync(me, whose, ctx.RequestAborted)) return NotFound("no such person");
                try
                {
                    var (id, secret) = await accounts.IssueTokenAsync(whose, body.Label ?? "upload token", ctx.RequestAborted);
                    return Results.Json(new { id, person_id = whose, token = secret }, Json, statusCode: StatusCodes.Status201Created);
                }
                catch (AccountException e) { return Results.Json(new { error = e.Message }, Json, statusCode: StatusCodes.Status400BadRequest); }
            });

            // Revoked by its owner or by a coach of the owner's team: refused from the next request on.
            api.MapDelete("/tokens/{id:long}", async (HttpContext ctx, AccountStore accounts, long id) =>
                await accounts.RevokeTokenAsync(id, ServerAuth.PersonId(ctx.User), ctx.RequestAborted) ? Results.NoContent() : NotFound("no such token"));

            api.MapGet("/sessions", async (HttpContext ctx, SessionQueries sessions, long? person, string? cursor, int? limit) =>
            {
                try
                {
                    SessionPage page = await sessions.ListAsync(ServerAuth.PersonId(ctx.User), person, cursor, limit ?? 100, ctx.RequestAborted);
                    return Results.Json(new { sessions = page.Sessions.Select(View), next = page.Next }, Json);
                }
                catch (FormatException e) { return Results.Json(new { error = e.Message }, Json, statusCode: StatusCodes.Status400BadRequest); }
            });

            api.MapGet("/sessions/{id:long}", async (HttpContext ctx, SessionQueries sessions, long id) =>
                await sessions.GetAsync(ServerAuth.PersonId(ctx.User), id, ctx.RequestAborted) is SessionRow s ? Results.Json(View(s), Json) : NotFound("no such session"));

            // The session file as the device wrote it (docs/session-format.md).
            api.MapGet("/sessions/{id:long}/file", async (HttpContext ctx, SessionQueries sessions, long id) =>
                await sessions.FileAsync(ServerAuth.PersonId(ctx.User), id, ctx.RequestAborted) is byte[] file
                    ? Results.File(file, "application/vnd.hingesensor.session", $"session-{id}.hss")
                    : NotFound("no such session"));
        }

        public static object View(SessionRow s) => new
        {
            id = s.Id, digest = s.Digest, person_id = s.PersonId, person = s.Person, device = s.Device, device_session_id = s.DeviceSessionId,
            started_at = s.StartedAt, duration_s = s.DurationS, closed = s.Closed, frames = s.Frames,
            reps = s.Reps, reps_with_fault = s.RepsWithFault, fault_rate = s.FaultRate, reps_depth_reached = s.RepsDepthReached, reps_depth_known = s.RepsDepthKnown, depth_share = s.DepthShare, median_depth_deg = s.MedianDepthDeg,
            alerts = new { back_rounding = s.BackRoundingAlerts, chin_drop = s.ChinDropAlerts, head_up = s.HeadUpAlerts }, alert_s = s.AlertS,
            holes = s.Holes, damaged_bytes = s.DamagedBytes, length = s.Length, uploaded_at = s.UploadedAt,
        };

        private static IResult NotFound(string error) => Results.Json(new { error }, Json, statusCode: StatusCodes.Status404NotFound);
    }
}
