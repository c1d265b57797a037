using System;
using System.CommandLine;
using System.Linq;
using System.Text.Json;
using HingeSensor.Host.Export;
using HingeSensor.Host.Storage;
using Spectre.Console;

namespace HingeSensor.Host.Cli
{
    /// <summary>`hinge history list|show|export`: the sessions kept in the database.</summary>
    internal static class HistoryCommand
    {
        public static Command Create()
        {
            var cmd = new Command("history", "Sessions stored on this computer.");
            cmd.Subcommands.Add(List());
            cmd.Subcommands.Add(Show());
            cmd.Subcommands.Add(Export());
            cmd.Subcommands.Add(Import());
            return cmd;
        }

        private static Option<string?> DbOption() => new("--db") { Description = "Database file (default: the per-user data directory)." };

        private static Command List()
        {
            var db = DbOption();
            var json = new Option<bool>("--json") { Description = "Machine-readable output." };
            var cmd = new Command("list", "List stored sessions.") { db, json };
            cmd.SetAction(p => WithDatabase(p, p.GetValue(db), d =>
            {
                var sessions = d.ListSessions();
                if (p.GetValue(json))
                {
                    p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(sessions, JsonOut));
                    return 0;
                }
                IAnsiConsole console = DeviceOptions.Console(p);
                // Downloaded sessions that do not decode are kept aside: said here, never analysed.
                foreach (QuarantinedSession q in d.ListQuarantined())
                    console.WriteLine($"quarantined #{q.Id}: session {q.DeviceSessionId} of {q.DeviceSerial}, {q.Length} bytes received {q.ReceivedAt}: {q.Reason} (kept as it came, left on the device)");
                if (sessions.Count == 0)
                {
                    console.WriteLine("no sessions yet: `hinge demo`, `hinge device download` or `hinge analyze --save` store some");
                    return 0;
                }
                var t = new Table().AddColumns("#", "source", "device / file", "started", "duration", "reps", "alerts");
                foreach (var s in sessions)
                    t.AddRow(s.Id.ToString(), s.Source, Markup.Escape(s.Device) + (s.DeviceSessionId is int n ? $" #{n}" : ""), Started(s.StartUnixMs),
                        $"{s.DurationS / 60:0.0} min", s.CountedReps.ToString(), s.Alerts.ToString());
                console.Write(t);
                return 0;
            }));
            return cmd;
        }

        private static Command Show()
        {
            var db = DbOption();
            var json = new Option<bool>("--json") { Description = "Machine-readable output." };
            var id = new Argument<long>("session") { Description = "Session number (from `hinge history list`)." };
            var cmd = new Command("show", "A session's summary, calibration, reps and alerts.") { id, db, json };
            cmd.SetAction(p => WithDatabase(p, p.GetValue(db), d =>
            {
                StoredSession? s = d.GetSession(p.GetValue(id));
                if (s == null) return NotFound(p, p.GetValue(id));
                var summary = SessionSummary.Of(s);
                if (p.GetValue(json))
                {
                    p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new { summary, reps = s.Reps, alerts = s.Alerts, calibration = s.Calibration }, JsonOut));
                    return 0;
                }
                SessionSummary.Print(DeviceOptions.Console(p), s, summary);
                return 0;
            }));
            return cmd;
        }

        private static Command Export()
        {
            var db = DbOption();
            var id = new Argument<long>("session") { Description = "Session number (from `hinge history list`)." };
            var format = new Option<ExportFormat>("--format") { Description = "csv, parquet or json.", DefaultValueFactory = _ => ExportFormat.Csv };
            var output = new Option<string?>("--out") { Description = "File to write (default: session-N.csv|parquet|json here); tables get .reps and .alerts siblings." };
            var cmd = new Command("export", "Write a session's frames, reps and alerts as CSV, Parquet or JSON.") { id, format, output, db };
            cmd.SetAction(async (p, ct) =>
            {
                try
                {
                    using var d = CliDatabase.Open(p, p.GetValue(db));
                    StoredSession? s = d.GetSession(p.GetValue(id));
                    if (s == null) return NotFound(p, p.GetValue(id));
                    ExportFormat f = p.GetValue(format);
                    string path = p.GetValue(output) ?? $"session-{s.Summary.Id}.{f.ToString().ToLowerInvariant()}";
                    foreach (string written in await SessionExport.WriteAsync(s, f, path))
                        p.InvocationConfiguration.Output.WriteLine(written);
                    return 0;
                }
                catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is Microsoft.Data.Sqlite.SqliteException || e is InvalidOperationException)
                {
                    p.InvocationConfiguration.Error.WriteLine($"hinge history export: {e.Message}");
                    return 2;
                }
            });
            return cmd;
        }

        // A session handed over from elsewhere — the web app's "for a laptop" file, a copy of a
        // device's flash — is the device's own session file: its header names the device (serial,
        // firmware, name), so nothing else needs to travel with it.
        private static Command Import()
        {
            var db = DbOption();
            var files = new Argument<string[]>("file") { Description = "Session files (.hsession: a device's session file as downloaded, e.g. from the web app).", Arity = ArgumentArity.OneOrMore };
            var cmd = new Command("import", "Store session files downloaded elsewhere (the web app's .hsession files), once per content.") { files, db };
            cmd.SetAction(p => WithDatabase(p, p.GetValue(db), d =>
            {
                int failed = 0;
                foreach (string file in p.GetValue(files)!)
                {
                    string? problem = SessionFileImport.Import(d, file, out long id, out bool inserted);
                    if (problem != null)
                    {
                        p.InvocationConfiguration.Error.WriteLine($"hinge history import: {file}: {problem}");
                        failed++;
                        continue;
                    }
                    p.InvocationConfiguration.Output.WriteLine($"{file} → #{id}{(inserted ? "" : " (already stored)")}");
                }
                return failed == 0 ? 0 : 1;
            }));
            return cmd;
        }

        private static readonly JsonSerializerOptions JsonOut = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };

        internal static string Started(long unixMs) =>
            unixMs == 0 ? "(clock not set)" : DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToLocalTime().ToString("yyyy-MM-dd HH:mm");

        private static int NotFound(ParseResult p, long id)
        {
            p.InvocationConfiguration.Error.WriteLine($"hinge history: no session #{id} (see `hinge history list`)");
            return 1;
        }

        private static int WithDatabase(ParseResult p, string? path, Func<SessionDatabase, int> action)
        {
            try
            {
                using var d = CliDatabase.Open(p, path);
                return action(d);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is Microsoft.Data.Sqlite.SqliteException || e is InvalidOperationException)
            {
                p.InvocationConfiguration.Error.WriteLine($"{CommandName.Of(p)}: {e.Message}");
                return 2;
            }
        }
    }
}
