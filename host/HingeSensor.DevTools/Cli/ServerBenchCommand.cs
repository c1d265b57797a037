using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using HingeSensor.DevTools.Benchmarks.ServerLoad;

namespace HingeSensor.DevTools.Cli
{
    /// <summary>`hinge-dev bench server`: the team server's load run (docs/team-server-scale.md).</summary>
    internal static class ServerBenchCommand
    {
        public static Command Create()
        {
            var wearers = new Option<string>("--wearers") { Description = "Wearers uploading at once, step by step (comma-separated); each step's are new people with new sessions.", DefaultValueFactory = _ => "20,200,1000" };
            var coaches = new Option<int>("--coaches") { Description = "Coaches browsing meanwhile (one team each; the wearers spread over the teams).", DefaultValueFactory = _ => 20 };
            var minutes = new Option<double>("--minutes") { Description = "Length of each wearer's session.", DefaultValueFactory = _ => 30 };
            var think = new Option<int>("--coach-think-ms") { Description = "A coach's pause between two requests.", DefaultValueFactory = _ => 500 };
            var json = new Option<bool>("--json") { Description = "Print exactly one JSON object." };
            var cmd = new Command("server", "The team server under load on loopback: a throwaway PostgreSQL and a hinge server process; wearers upload a session each, all at once, while coaches browse. Uploads/s, latency per request kind, errors, CPU and memory of the server and of PostgreSQL, per-request cost against the first step, bytes per session.")
            { wearers, coaches, minutes, think, json };
            cmd.SetAction(async (parse, ct) =>
            {
                TextWriter o = parse.InvocationConfiguration.Output, err = parse.InvocationConfiguration.Error;
                int[] steps;
                try { steps = parse.GetValue(wearers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); }
                catch (FormatException) { steps = Array.Empty<int>(); }
                if (steps.Length == 0 || steps.Any(n => n < 1) || parse.GetValue(coaches) < 1 || parse.GetValue(minutes) <= 0)
                {
                    err.WriteLine($"hinge-dev bench server: --wearers takes counts like 20,200,1000 (not '{parse.GetValue(wearers)}'), --coaches at least 1, --minutes more than 0");
                    return 2;
                }
                if (ThrowawayPostgres.FindBinaries(out string why) == null)
                {
                    err.WriteLine("hinge-dev bench server: " + why);
                    return 2;
                }
                ServerLoadReport r = await ServerLoadRun.RunAsync(new ServerLoadOptions
                {
                    Steps = steps, Coaches = parse.GetValue(coaches), Minutes = parse.GetValue(minutes),
                    CoachThink = TimeSpan.FromMilliseconds(parse.GetValue(think)), Progress = err,
                }, ct);
                if (parse.GetValue(json)) o.WriteLine(ToJson(r).ToJsonString());
                else Print(o, r);
                return r.Steps.All(s => s.Errors == 0) ? 0 : 1;
            });
            return cmd;
        }

        private static void Print(TextWriter o, ServerLoadReport r)
        {
            var c = CultureInfo.InvariantCulture;
            o.WriteLine(string.Format(c, "PostgreSQL {0}, {1} cores; each wearer uploads one {2:0}-minute session of {3:N0} bytes (written as the device's recorder writes it) in {4} KiB parts; {5} coaches browse meanwhile",
                r.Postgres, Environment.ProcessorCount, r.SessionSeconds / 60, r.SessionBytes, HingeSensor.Server.Sync.UploadClient.DefaultPartBytes / 1024, r.Coaches));
            StepFigures b = r.Steps[0];
            foreach (StepFigures s in r.Steps)
            {
                o.WriteLine();
                o.WriteLine(string.Format(c, "{0} wearers at once: {1} stored in {2:0.0} s = {3:0.0} uploads/s ({4:0.0} MB/s); errors {5}{6}; {7} sessions in the database after",
                    s.Wearers, s.Stored, s.WallS, s.UploadsPerS, s.MegabytesPerS, s.Errors,
                    s.Errors == 0 ? "" : " (" + string.Join(", ", s.ErrorsByKind.Select(e => $"{e.Key}: {e.Value}")) + ")", s.SessionsInDatabase));
                foreach (string e in s.ErrorExamples) o.WriteLine("    error: " + e);
                o.WriteLine(string.Format(c, "  {0,-36} {1,7} {2,9} {3,9} {4,9} {5,9}", "request", "count", "p50 ms", "p95 ms", "p99 ms", "max ms"));
                foreach (KindFigures k in s.Kinds)
                    o.WriteLine(string.Format(c, "  {0,-36} {1,7} {2,9:0.0} {3,9:0.0} {4,9:0.0} {5,9:0.0}", k.Kind, k.Count, k.P50Ms, k.P95Ms, k.P99Ms, k.MaxMs));
                o.WriteLine(string.Format(c, "  hinge server: {0:0.0} CPU s, peak {1:0} MB (PSS); PostgreSQL: {2:0.0} CPU s, peak {3:0} MB (PSS, all its processes)",
                    s.ServerCpuS, s.ServerPeakBytes / 1e6, s.DatabaseCpuS, s.DatabasePeakBytes / 1e6));
                o.WriteLine(string.Format(c, "  per upload: server {0:0.0} CPU ms (×{1:0.00} of {2} wearers), PostgreSQL {3:0.0} CPU ms (×{4:0.00}); per request: server {5:0.00} ms (×{6:0.00}), PostgreSQL {7:0.00} ms (×{8:0.00})",
                    s.ServerCpuMsPerUpload, s.ServerCpuMsPerUpload / b.ServerCpuMsPerUpload, b.Wearers, s.DatabaseCpuMsPerUpload, s.DatabaseCpuMsPerUpload / b.DatabaseCpuMsPerUpload,
                    s.ServerCpuMsPerRequest, s.ServerCpuMsPerRequest / b.ServerCpuMsPerRequest, s.DatabaseCpuMsPerRequest, s.DatabaseCpuMsPerRequest / b.DatabaseCpuMsPerRequest));
                KindFigures? last = s.Kinds.FirstOrDefault(k => k.Kind == ServerLoadRun.UploadLastPart), lastB = b.Kinds.FirstOrDefault(k => k.Kind == ServerLoadRun.UploadLastPart);
                if (last != null && lastB != null)
                    o.WriteLine(string.Format(c, "  storing part p50 ×{0:0.00}, p95 ×{1:0.00} of {2} wearers (with {3:0.0}× as many at once)", last.P50Ms / lastB.P50Ms, last.P95Ms / lastB.P95Ms, b.Wearers, (double)s.Wearers / b.Wearers));
            }
            StorageFigures st = r.Storage;
            o.WriteLine();
            o.WriteLine(string.Format(c, "storage after the run: {0} sessions, file {1:N0} B each; in the database {2:N0} B per session (sessions table {3:N0} B + its indexes {4:N0} B + session_files {5:N0} B, of which TOAST {6:N0} B, over all sessions); database {7:0.0} MB",
                st.Sessions, st.FileBytesPerSession, st.DatabaseBytesPerSession, st.SessionsTableBytes, st.SessionsIndexBytes, st.SessionFilesBytes, st.SessionFilesToastBytes, st.DatabaseBytes / 1e6));
        }

        private static JsonObject ToJson(ServerLoadReport r)
        {
            var steps = new JsonArray();
            StepFigures b = r.Steps[0];
            foreach (StepFigures s in r.Steps)
            {
                var kinds = new JsonObject();
                foreach (KindFigures k in s.Kinds)
                    kinds[k.Kind] = new JsonObject { ["count"] = k.Count, ["p50_ms"] = Math.Round(k.P50Ms, 2), ["p95_ms"] = Math.Round(k.P95Ms, 2), ["p99_ms"] = Math.Round(k.P99Ms, 2), ["max_ms"] = Math.Round(k.MaxMs, 2) };
                var errors = new JsonObject();
                foreach (var e in s.ErrorsByKind) errors[e.Key] = e.Value;
                steps.Add(new JsonObject
                {
                    ["wearers"] = s.Wearers, ["stored"] = s.Stored, ["wall_s"] = Math.Round(s.WallS, 3), ["uploads_per_s"] = Math.Round(s.UploadsPerS, 2), ["mb_per_s"] = Math.Round(s.MegabytesPerS, 2),
                    ["requests"] = s.Requests, ["errors"] = s.Errors, ["errors_by_kind"] = errors, ["error_examples"] = new JsonArray(s.ErrorExamples.Select(e => (JsonNode)e).ToArray()),
                    ["latency"] = kinds,
                    ["server_cpu_s"] = Math.Round(s.ServerCpuS, 2), ["database_cpu_s"] = Math.Round(s.DatabaseCpuS, 2),
                    ["server_peak_pss_bytes"] = s.ServerPeakBytes, ["database_peak_pss_bytes"] = s.DatabasePeakBytes,
                    ["server_cpu_ms_per_upload"] = Math.Round(s.ServerCpuMsPerUpload, 2), ["database_cpu_ms_per_upload"] = Math.Round(s.DatabaseCpuMsPerUpload, 2),
                    ["server_cpu_ms_per_request"] = Math.Round(s.ServerCpuMsPerRequest, 3), ["database_cpu_ms_per_request"] = Math.Round(s.DatabaseCpuMsPerRequest, 3),
                    ["server_cpu_per_upload_ratio_to_first"] = Math.Round(s.ServerCpuMsPerUpload / b.ServerCpuMsPerUpload, 3),
                    ["database_cpu_per_upload_ratio_to_first"] = Math.Round(s.DatabaseCpuMsPerUpload / b.DatabaseCpuMsPerUpload, 3),
                    ["sessions_in_database"] = s.SessionsInDatabase,
                });
            }
            StorageFigures st = r.Storage;
            return new JsonObject
            {
                ["postgres"] = r.Postgres, ["cores"] = Environment.ProcessorCount, ["session_bytes"] = r.SessionBytes, ["session_s"] = r.SessionSeconds, ["coaches"] = r.Coaches,
                ["steps"] = steps,
                ["storage"] = new JsonObject
                {
                    ["sessions"] = st.Sessions, ["file_bytes_per_session"] = Math.Round(st.FileBytesPerSession), ["database_bytes_per_session"] = Math.Round(st.DatabaseBytesPerSession),
                    ["sessions_table_bytes"] = st.SessionsTableBytes, ["sessions_index_bytes"] = st.SessionsIndexBytes, ["session_files_bytes"] = st.SessionFilesBytes,
                    ["session_files_toast_bytes"] = st.SessionFilesToastBytes, ["database_bytes"] = st.DatabaseBytes,
                },
            };
        }
    }
}
