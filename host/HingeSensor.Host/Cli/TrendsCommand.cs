using System.Collections.Generic;
using System.CommandLine;
using HingeSensor.Host.Reports;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// `hinge trends [--device NAME] [--out trends.html] [--png]`: the wearer's sessions side by side.
    /// The database is per user, so its sessions are one wearer's; --device narrows them to one device
    /// (or one analysed file name) when a computer serves several.
    /// </summary>
    internal static class TrendsCommand
    {
        public static Command Create()
        {
            var output = new Option<string?>("--out") { Description = "HTML file to write (default: trends.html here)." };
            var device = new Option<string?>("--device") { Description = "Only sessions of this device serial or analysed file (as `hinge history list` shows it)." };
            var png = new Option<bool>("--png") { Description = "Also write each plot as a PNG beside the page (<name>.plot-trend-reps.png, …)." };
            var db = new Option<string?>("--db") { Description = "Database file (default: the per-user data directory)." };
            var cmd = new Command("trends", "Reps, fault rate and typical depth session by session, as one HTML page.") { output, device, png, db };
            cmd.SetAction(p => ReportCommand.Run(p, "trends", () =>
            {
                using var d = CliDatabase.Open(p, p.GetValue(db));
                string? only = p.GetValue(device);
                IReadOnlyList<SessionTrend> trends = SessionTrend.FromDatabase(d, only);
                if (trends.Count == 0)
                {
                    p.InvocationConfiguration.Error.WriteLine(only == null
                        ? "hinge trends: no sessions stored yet (`hinge demo`, `hinge device download` or `hinge analyze --save` store some)"
                        : $"hinge trends: no sessions of '{only}' (see `hinge history list`)");
                    return 1;
                }
                SessionReport report = TrendsReportPage.Build(trends);
                foreach (string written in ReportFiles.Write(p.GetValue(output) ?? "trends.html", report.Html, report.Plots, p.GetValue(png)))
                    p.InvocationConfiguration.Output.WriteLine(written);
                return 0;
            }));
            return cmd;
        }
    }
}
