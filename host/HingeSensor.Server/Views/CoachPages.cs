using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HingeSensor.Server.Accounts;
using HingeSensor.Server.Sessions;
using HingeSensor.Server.Uploads;
using HingeSensor.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static HingeSensor.Server.Views.ViewHtml;

namespace HingeSensor.Server.Views
{
    /// <summary>
    /// The coach views (docs/team-server.md): the team at a glance for a week (/teams/{id}), a
    /// person's trend over their sessions (/people/{id}), any session's report (/sessions/{id}),
    /// and the team's week as JSON (/api/teams/{id}/week). Pages need the sign-in cookie; who may
    /// see what is decided in the queries (<see cref="CoachQueries"/>, <see cref="SessionQueries"/>,
    /// <see cref="AccountStore.MaySeeAsync"/>), and what one may not see answers 404.
    /// </summary>
    public static class CoachPages
    {
        /// <summary>Sessions per page of a person's trend (and points in its figures).</summary>
        public const int TrendPage = 50;

        public static void Map(IEndpointRouteBuilder app, ISessionReports? reports)
        {
            app.MapGet("/coach.css", () => Results.Text(Stylesheet, "text/css; charset=utf-8"));

            app.MapGet("/teams/{id:long}", async (HttpContext ctx, CoachQueries coach, long id, string? week, string? cursor) =>
            {
                TrainingWeek w;
                try { w = TrainingWeek.Parse(week, DateTimeOffset.UtcNow); }
                catch (FormatException e) { return Page(ctx, "Not a week", $"<p>{E(e.Message)}</p>", StatusCodes.Status400BadRequest); }
                TeamWeekPage? page;
                try { page = await coach.TeamWeekAsync(ServerAuth.PersonId(ctx.User), id, w, cursor, CoachQueries.MaxPage, ctx.RequestAborted); }
                catch (FormatException e) { return Page(ctx, "Not a cursor", $"<p>{E(e.Message)}</p>", StatusCodes.Status400BadRequest); }
                return page == null ? ViewHtml.NotFound(ctx, "No such team") : Page(ctx, $"{page.Team}: week {page.Week}", TeamTable(page));
            }).RequireAuthorization(SignedIn);

            app.MapGet("/people/{id:long}", async (HttpContext ctx, AccountStore accounts, SessionQueries sessions, long id, string? cursor) =>
            {
                long me = ServerAuth.PersonId(ctx.User);
                if (!await accounts.MaySeeAsync(me, id, ctx.RequestAborted) || await accounts.FindAsync(id, ctx.RequestAborted) is not Person person)
                    return ViewHtml.NotFound(ctx, "No such person");
                SessionPage page;
                try { page = await sessions.ListAsync(me, id, cursor, TrendPage, ctx.RequestAborted); }
                catch (FormatException e) { return Page(ctx, "Not a cursor", $"<p>{E(e.Message)}</p>", StatusCodes.Status400BadRequest); }
                return Page(ctx, $"{person.DisplayName}: trend", PersonTrend(person, page, cursor != null, reports), policy: FiguresPolicy);
            }).RequireAuthorization(SignedIn);

            app.MapGet("/sessions/{id:long}", async (HttpContext ctx, SessionQueries sessions, long id) =>
            {
                if (await sessions.FileAsync(ServerAuth.PersonId(ctx.User), id, ctx.RequestAborted) is not byte[] file) return ViewHtml.NotFound(ctx, "No such session");
                if (reports == null)
                    return Page(ctx, "No report", "<p>This server was started without the host's report code (`hinge server` hands it over); the session's summary is at /api/sessions/{id}.</p>",
                        StatusCodes.Status503ServiceUnavailable);
                string html;
                try { html = reports.SessionPage(file, id); }
                catch (SessionRefusedException e)
                {
                    // Stored whole and checked at upload; a decoder made stricter since may refuse it now.
                    return Page(ctx, "No report", $"<p>Session {id} is stored, but its file does not decode any more: {E(e.Message)}. Its bytes are at /api/sessions/{id}/file.</p>",
                        StatusCodes.Status500InternalServerError);
                }
                ctx.Response.Headers.ContentSecurityPolicy = ReportPolicy;
                return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
            }).RequireAuthorization(SignedIn);

            app.MapGet("/api/teams/{id:long}/week", async (HttpContext ctx, CoachQueries coach, long id, string? week, string? cursor, int? limit) =>
            {
                try
                {
                    TrainingWeek w = TrainingWeek.Parse(week, DateTimeOffset.UtcNow);
                    TeamWeekPage? page = await coach.TeamWeekAsync(ServerAuth.PersonId(ctx.User), id, w, cursor, limit ?? 100, ctx.RequestAborted);
                    return page == null
                        ? Results.Json(new { error = "no such team" }, ApiEndpoints.Json, statusCode: StatusCodes.Status404NotFound)
                        : Results.Json(new
                        {
                            team_id = page.TeamId, team = page.Team, week = page.Week.ToString(), starts = page.Week.Start, ends = page.Week.End,
                            previous_weeks_from = page.Week.PreviousStart, members = page.Members.Select(View), next = page.Next,
                        }, ApiEndpoints.Json);
                }
                catch (FormatException e) { return Results.Json(new { error = e.Message }, ApiEndpoints.Json, statusCode: StatusCodes.Status400BadRequest); }
            }).RequireAuthorization();
        }

        private static void SignedIn(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder p) =>
            p.AddAuthenticationSchemes(ServerAuth.Cookie).RequireAuthenticatedUser();

        private static object View(MemberWeek m) => new
        {
            person_id = m.PersonId, name = m.Name, role = m.Role, sessions = m.Sessions, reps = m.Reps, reps_with_fault = m.RepsWithFault, fault_rate = m.FaultRate,
            reps_depth_reached = m.RepsDepthReached, reps_depth_known = m.RepsDepthKnown, depth_share = m.DepthShare, alerts = m.Alerts,
            minutes = m.DurationS / 60, alerts_per_minute = m.AlertsPerMinute,
            previous = new { sessions = m.PreviousSessions, reps = m.PreviousReps, reps_with_fault = m.PreviousRepsWithFault, fault_rate = m.PreviousFaultRate },
            trend = m.Trend,
        };

        private static string TeamTable(TeamWeekPage page)
        {
            var html = new StringBuilder();
            html.Append($"<p>Sessions that started from {Utc(page.Week.Start)} to {Utc(page.Week.End)} UTC; the trend compares the fault rate with the {TrainingWeek.PreviousWeeks} weeks before. ")
                .Append($"<a href=\"?week={page.Week.Before}\">← {page.Week.Before}</a> · <a href=\"?week={page.Week.After}\">{page.Week.After} →</a></p>")
                .Append("<table id=\"members\"><thead><tr><th class=\"text\">person</th><th class=\"text\">role</th><th>sessions</th><th>minutes</th><th>reps</th>")
                .Append("<th>with a fault</th><th>fault rate</th><th>reached depth</th><th>alerts / min</th><th class=\"text\">trend</th></tr></thead><tbody>");
            foreach (MemberWeek m in page.Members)
                html.Append($"<tr data-person=\"{m.PersonId}\" data-sessions=\"{m.Sessions}\" data-reps=\"{m.Reps}\" data-faulty-reps=\"{m.RepsWithFault}\" ")
                    .Append($"data-fault-rate=\"{Data(m.FaultRate)}\" data-depth-share=\"{Data(m.DepthShare)}\" data-trend=\"{m.Trend}\">")
                    .Append($"<td class=\"text\"><a href=\"/people/{m.PersonId}\">{E(m.Name)}</a></td><td class=\"text\">{E(m.Role)}</td>")
                    .Append($"<td>{m.Sessions}</td><td>{Number(m.DurationS / 60, "0")}</td><td>{m.Reps}</td><td>{m.RepsWithFault}</td>")
                    .Append($"<td>{Percent(m.FaultRate)}</td><td>{Percent(m.DepthShare)}</td><td>{Number(m.AlertsPerMinute, "0.0")}</td>")
                    .Append($"<td class=\"text {m.Trend}\">{TrendWords(m)}</td></tr>");
            html.Append("</tbody></table>");
            if (page.Next != null) html.Append($"<p><a id=\"next\" href=\"?week={page.Week}&amp;cursor={page.Next}\">more members →</a></p>");
            html.Append("<p class=\"note\">Fault rate: counted reps with at least one fault ÷ counted reps (as <code>hinge trends</code>). Reached depth: reps that reached the depth target ÷ reps whose depth the device judged. ")
                .Append($"Trend: this week's fault rate against the reps of the {TrainingWeek.PreviousWeeks} weeks before, pooled; a change under {MemberWeek.SteadyBand * 100:0} points is steady.</p>");
            return html.ToString();
        }

        private static string TrendWords(MemberWeek m) => m.Trend switch
        {
            "better" => $"↘ fewer faults ({Percent(m.PreviousFaultRate)} before)",
            "worse" => $"↗ more faults ({Percent(m.PreviousFaultRate)} before)",
            "steady" => $"→ steady ({Percent(m.PreviousFaultRate)} before)",
            _ => "–",
        };

        private static string PersonTrend(Person person, SessionPage page, bool older, ISessionReports? reports)
        {
            var html = new StringBuilder();
            List<SessionRow> oldestFirst = page.Sessions.Reverse().ToList();
            html.Append($"<p>{(older ? "Older sessions" : "The newest sessions")}, {page.Sessions.Count} of them, oldest first in the figures.</p>");
            if (oldestFirst.Count > 0 && reports != null)
            {
                html.Append("<section id=\"plots\">");
                foreach (TrendFigure f in reports.TrendFigures(oldestFirst.Select(Point).ToList()))
                    html.Append($"<figure><img id=\"{E(f.Id)}\" src=\"data:image/png;base64,{Convert.ToBase64String(f.Png)}\" width=\"{f.Width}\" height=\"{f.Height}\" alt=\"{E(f.Title)}\"></figure>");
                html.Append("</section>");
            }
            html.Append("<table id=\"sessions\"><thead><tr><th>session</th><th class=\"text\">started (UTC)</th><th class=\"text\">device</th><th>minutes</th><th>reps</th>")
                .Append("<th>with a fault</th><th>fault rate</th><th>median depth</th><th>reached depth</th><th>alerts</th></tr></thead><tbody>");
            foreach (SessionRow s in page.Sessions)
                html.Append($"<tr data-session=\"{s.Id}\" data-reps=\"{s.Reps}\" data-faulty-reps=\"{s.RepsWithFault}\" data-fault-rate=\"{Data(s.FaultRate)}\" data-median-depth-deg=\"{Data(s.MedianDepthDeg)}\">")
                    .Append($"<td><a href=\"/sessions/{s.Id}\">#{s.Id}</a></td><td class=\"text\">{Utc(s.StartedAt)}</td><td class=\"text\">{E(s.Device)} #{s.DeviceSessionId}</td>")
                    .Append($"<td>{Number(s.DurationS / 60, "0.0")}</td><td>{s.Reps}</td><td>{s.RepsWithFault}</td><td>{Percent(s.FaultRate)}</td>")
                    .Append($"<td>{(s.MedianDepthDeg is double d ? Number(d, "0.0") + "°" : "–")}</td><td>{Percent(s.DepthShare)}</td>")
                    .Append($"<td>{s.BackRoundingAlerts + s.ChinDropAlerts + s.HeadUpAlerts}</td></tr>");
            html.Append("</tbody></table>");
            if (page.Sessions.Count == 0) html.Append($"<p>No sessions{(older ? " older than these" : "")}.</p>");
            if (page.Next != null) html.Append($"<p><a id=\"next\" href=\"/people/{person.Id}?cursor={Uri.EscapeDataString(page.Next)}\">older sessions →</a></p>");
            return html.ToString();
        }

        private static TrendPoint Point(SessionRow s) => new(s.Id, s.Device, s.StartedAt.ToUnixTimeMilliseconds(), s.DurationS, s.Reps, s.RepsWithFault,
            s.BackRoundingAlerts + s.ChinDropAlerts + s.HeadUpAlerts, s.MedianDepthDeg, s.DepthShare);
    }
}
