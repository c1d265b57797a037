using System;
using System.CommandLine;
using HingeSensor.Host.Reports;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Cli
{
    /// <summary>`hinge report &lt;session&gt; [--out report.html] [--png]`: one stored session as a self-contained HTML page.</summary>
    internal static class ReportCommand
    {
        public static Command Create()
        {
            var id = new Argument<long>("session") { Description = "Session number (from `hinge history list`)." };
            var output = new Option<string?>("--out") { Description = "HTML file to write (default: session-N.html here)." };
            var png = new Option<bool>("--png") { Description = "Also write each plot as a PNG beside the page (<name>.plot-torso.png, …)." };
            var db = new Option<string?>("--db") { Description = "Database file (default: the per-user data directory)." };
            var cmd = new Command("report", "A session as one HTML page: angle plots with thresholds, alerts and reps; the rep table; the calibration.")
                { id, output, png, db };
            cmd.SetAction(p =>
            {
                long sessionId = p.GetValue(id);
                string path = p.GetValue(output) ?? $"session-{sessionId}.html";
                return Run(p, "report", () =>
                {
                    using var d = CliDatabase.Open(p, p.GetValue(db));
                    StoredSession? s = d.GetSession(sessionId);
                    if (s == null)
                    {
                        p.InvocationConfiguration.Error.WriteLine($"hinge report: no session #{sessionId} (see `hinge history list`)");
                        return 1;
                    }
                    SessionReport report = SessionReportPage.Build(s);
                    foreach (string written in ReportFiles.Write(path, report.Html, report.Plots, p.GetValue(png)))
                        p.InvocationConfiguration.Output.WriteLine(written);
                    return 0;
                });
            });
            return cmd;
        }

        /// <summary>Runs a report command; what goes wrong with files or the database is a message and exit code 2.</summary>
        internal static int Run(ParseResult p, string name, Func<int> action)
        {
            try
            {
                return action();
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is Microsoft.Data.Sqlite.SqliteException
                || e is InvalidOperationException)
            {
                p.InvocationConfiguration.Error.WriteLine($"hinge {name}: {e.Message}");
                return 2;
            }
        }
    }
}
