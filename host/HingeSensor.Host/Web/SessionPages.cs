using System;
using System.Globalization;
using System.IO;
using System.Text;
using HingeSensor.Host.Cli;
using HingeSensor.Host.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace HingeSensor.Host.Web
{
    /// <summary>The stored sessions: /sessions lists the database, /sessions/{id} is one session's report.</summary>
    public static class SessionPages
    {
        public static void Map(WebApplication app, string databasePath, ISessionReportRenderer reports)
        {
            app.MapGet("/sessions", () => WithDatabase(databasePath, db => Html(200, List(db, databasePath))));
            app.MapGet("/sessions/{id:long}", (long id) => WithDatabase(databasePath, db =>
            {
                StoredSession? s = db.GetSession(id);
                return s == null
                    ? Html(404, HtmlPage.Wrap("Not found", $"<h1>No session #{id}</h1><p>It is not in {HtmlPage.Encode(databasePath)}. <a href=\"/sessions\">All sessions</a></p>"))
                    : Html(200, reports.Render(s));
            }));
        }

        private static string List(SessionDatabase db, string path)
        {
            var sessions = db.ListSessions();
            var b = new StringBuilder("<h1>Sessions</h1>\n");
            b.Append("<p class=\"muted\">").Append(HtmlPage.Encode(path)).Append("</p>\n");
            if (sessions.Count == 0)
            {
                b.Append("<p class=\"empty\">No sessions yet: record one on the live page and download it, or run `hinge demo` or `hinge device download`.</p>");
                return HtmlPage.Wrap("Sessions", b.ToString());
            }
            b.Append("<table class=\"sessions\">\n<thead><tr><th>#</th><th>source</th><th>device / file</th><th>started</th><th>duration</th><th>reps</th><th>alerts</th></tr></thead>\n<tbody>\n");
            for (int i = sessions.Count - 1; i >= 0; i--) // newest first
            {
                StoredSessionSummary s = sessions[i];
                string id = s.Id.ToString(CultureInfo.InvariantCulture);
                b.Append($"<tr><td><a href=\"/sessions/{id}\">#{id}</a></td>");
                foreach (string v in new[]
                {
                    s.Source, s.Device + (s.DeviceSessionId is int n ? $" #{n}" : ""), HistoryCommand.Started(s.StartUnixMs),
                    (s.DurationS / 60).ToString("0.0", CultureInfo.InvariantCulture) + " min",
                    s.CountedReps.ToString(CultureInfo.InvariantCulture), s.Alerts.ToString(CultureInfo.InvariantCulture),
                })
                    b.Append("<td>").Append(HtmlPage.Encode(v)).Append("</td>");
                b.Append("</tr>\n");
            }
            b.Append("</tbody>\n</table>\n");
            return HtmlPage.Wrap("Sessions", b.ToString());
        }

        private static IResult WithDatabase(string path, Func<SessionDatabase, IResult> page)
        {
            try
            {
                using var db = new SessionDatabase(path);
                return page(db);
            }
            catch (Exception e) when (e is SqliteException || e is IOException || e is UnauthorizedAccessException || e is InvalidOperationException)
            {
                return Html(500, HtmlPage.Wrap("Database error", $"<h1>The session database cannot be read</h1><p>{HtmlPage.Encode(path)}: {HtmlPage.Encode(e.Message)}</p>"));
            }
        }

        public static IResult Html(int status, string html) => Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
