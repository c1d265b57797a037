using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using HingeSensor.Host.Storage;
using HingeSensor.Server.Sync;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// `hinge sync --server URL --token T`: uploads every device session of this computer's log that
    /// the team server does not have yet (docs/team-server.md). The server is asked about each one
    /// first, so a session already there costs one request and an interrupted upload goes on from
    /// the byte the server kept. Sessions made by `hinge analyze --save` have no device file and stay here.
    /// </summary>
    internal static class SyncCommand
    {
        public const string TokenVariable = "HINGESENSOR_SERVER_TOKEN";

        public static Command Create()
        {
            var server = new Option<string>("--server") { Description = "The team server, e.g. https://hinge.example.org", Required = true };
            var token = new Option<string?>("--token") { Description = $"Your upload token (from your coach, or `hinge server token new`); else ${TokenVariable}." };
            var db = new Option<string?>("--db") { Description = "Database file (default: the per-user data directory)." };
            var json = new Option<bool>("--json") { Description = "Machine-readable output: one result per session." };
            var partBytes = new Option<int>("--part-bytes") { Description = "Bytes per request (uploads go in parts; an interrupted one resumes).", DefaultValueFactory = _ => UploadClient.DefaultPartBytes };
            var cmd = new Command("sync", "Uploads the sessions of this computer that the team server does not have yet.") { server, token, db, json, partBytes };
            cmd.SetAction(async (p, ct) =>
            {
                TextWriter output = p.InvocationConfiguration.Output, error = p.InvocationConfiguration.Error;
                if (!Uri.TryCreate(p.GetValue(server), UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    error.WriteLine($"hinge sync: --server {p.GetValue(server)} is not an http(s) address");
                    return 2;
                }
                if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
                    error.WriteLine($"hinge sync: warning: {url} is plain http: the token and the sessions cross the network readable (use the https address of the server's TLS proxy)");
                string? secret = p.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable);
                if (string.IsNullOrWhiteSpace(secret))
                {
                    error.WriteLine($"hinge sync: no upload token: give --token or set {TokenVariable}");
                    return 2;
                }
                if (!url.AbsolutePath.EndsWith('/')) url = new Uri(url + "/");

                var results = new List<object>();
                int uploaded = 0, resumed = 0, already = 0, failed = 0, analysed = 0;
                try
                {
                    using SessionDatabase d = CliDatabase.Open(p, p.GetValue(db));
                    using var client = new UploadClient(url, secret.Trim(), partBytes: p.GetValue(partBytes));
                    foreach (StoredSessionSummary s in d.ListSessions())
                    {
                        string what = $"session {s.Id} ({s.Device}{(s.DeviceSessionId is int n ? $" #{n}" : "")})";
                        if (d.RawSession(s.Id) is not byte[] file)
                        {
                            analysed++;
                            continue;
                        }
                        UploadOutcome o;
                        try { o = await client.UploadAsync(file, ct); }
                        catch (HttpRequestException e)
                        {
                            failed++;
                            Say(what, $"interrupted: {e.Message} (`hinge sync` again resumes it)", new { session = s.Id, result = "interrupted", error = e.Message });
                            break; // the server is out of reach: the others would fail alike
                        }
                        switch (o.Result)
                        {
                            case UploadOutcome.AlreadyStored:
                                already++;
                                Say(what, $"already on the server (server session {o.SessionId})", new { session = s.Id, result = "already_stored", server_session = o.SessionId });
                                break;
                            case UploadOutcome.Stored:
                                uploaded++;
                                if (o.ResumedFrom > 0) resumed++;
                                string holes = o.Holes is { Length: > 0 } h ? $"; kept with {h.Length} damaged chunk{(h.Length > 1 ? "s" : "")} as on this computer: {string.Join("; ", h)}" : "";
                                Say(what, (o.ResumedFrom > 0 ? $"resumed at byte {o.ResumedFrom} of {file.Length}, uploaded" : $"uploaded, {file.Length} bytes") + $" (server session {o.SessionId}){holes}",
                                    new { session = s.Id, result = "uploaded", server_session = o.SessionId, resumed_from = o.ResumedFrom, bytes_sent = o.Sent, length = file.Length });
                                break;
                            default:
                                failed++;
                                Say(what, $"{o.Result} by the server: {o.Error}", new { session = s.Id, result = o.Result == UploadOutcome.Refused ? "refused" : "conflict", error = o.Error });
                                break;
                        }
                    }
                }
                catch (DatabaseUnusableException e)
                {
                    error.WriteLine($"hinge sync: {e.Message}");
                    return 2;
                }
                catch (UploadRefusedException e)
                {
                    Flush();
                    error.WriteLine($"hinge sync: {e.Message}");
                    return 2;
                }
                Flush();
                if (!p.GetValue(json))
                    output.WriteLine($"hinge sync: {uploaded} uploaded{(resumed > 0 ? $" ({resumed} resumed)" : "")}, {already} already on the server, {failed} not uploaded"
                        + (analysed > 0 ? $"; {analysed} analysed recording{(analysed > 1 ? "s have" : " has")} no device file and stay{(analysed > 1 ? "" : "s")} here" : ""));
                return failed > 0 ? 1 : 0;

                void Say(string what, string text, object result)
                {
                    if (p.GetValue(json)) results.Add(result);
                    else output.WriteLine($"{what}: {text}");
                }

                void Flush()
                {
                    if (p.GetValue(json)) output.WriteLine(JsonSerializer.Serialize(new { uploaded, already_stored = already, not_uploaded = failed, analysed_skipped = analysed, sessions = results }));
                }
            });
            return cmd;
        }
    }
}
