using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Server.Accounts;
using HingeSensor.Server.Sync;
using Npgsql;

namespace HingeSensor.DevTools.Benchmarks.ServerLoad
{
    public sealed record ServerLoadOptions
    {
        public int[] Steps { get; init; } = { 20, 200, 1000 };
        public int Coaches { get; init; } = 20;
        public double Minutes { get; init; } = 30;
        public TimeSpan CoachThink { get; init; } = TimeSpan.FromMilliseconds(500);
        public int PartBytes { get; init; } = UploadClient.DefaultPartBytes;
        public TextWriter? Progress { get; init; }
    }

    public sealed record StepFigures(int Wearers, int Stored, double WallS, double UploadsPerS, double MegabytesPerS, IReadOnlyList<KindFigures> Kinds,
        int Requests, int Errors, IReadOnlyDictionary<string, int> ErrorsByKind, IReadOnlyList<string> ErrorExamples,
        double ServerCpuS, double DatabaseCpuS, long ServerPeakBytes, long DatabasePeakBytes, long SessionsInDatabase)
    {
        public double ServerCpuMsPerRequest => Requests == 0 ? 0 : ServerCpuS * 1000 / Requests;
        public double DatabaseCpuMsPerRequest => Requests == 0 ? 0 : DatabaseCpuS * 1000 / Requests;
        public double ServerCpuMsPerUpload => Stored == 0 ? 0 : ServerCpuS * 1000 / Stored;
        public double DatabaseCpuMsPerUpload => Stored == 0 ? 0 : DatabaseCpuS * 1000 / Stored;
    }

    public sealed record StorageFigures(long Sessions, double FileBytesPerSession, long SessionsTableBytes, long SessionsIndexBytes, long SessionFilesBytes,
        long SessionFilesToastBytes, long DatabaseBytes)
    {
        /// <summary>Everything a session takes in the database: its row, its share of the indexes, its file (TOAST included).</summary>
        public double DatabaseBytesPerSession => Sessions == 0 ? 0 : (double)(SessionsTableBytes + SessionsIndexBytes + SessionFilesBytes) / Sessions;
    }

    public sealed record ServerLoadReport(string Postgres, int SessionBytes, double SessionSeconds, int Coaches, IReadOnlyList<StepFigures> Steps, StorageFigures Storage);

    /// <summary>
    /// `hinge-dev bench server`: a throwaway PostgreSQL and a `hinge server` process on loopback,
    /// twenty teams with a coach each; then, step by step, N new wearers (spread over the teams)
    /// each upload their session at once with the upload client `hinge sync` uses, while the
    /// coaches, signed in, page through their team's sessions and open some. Each step reports
    /// uploads/s, latency per request kind, errors, CPU and memory of the server and of
    /// PostgreSQL; after the last, what the sessions take in the database.
    /// </summary>
    public static class ServerLoadRun
    {
        /// <summary>Wearers of the untimed warm-up before the first step (their sessions stay in the database).</summary>
        public const int WarmUpWearers = 10;

        public const string UploadStatus = "upload status", UploadPart = "upload part", UploadLastPart = "upload last part (checks, stores)";

        public static async Task<ServerLoadReport> RunAsync(ServerLoadOptions o, CancellationToken ct)
        {
            string bin = ThrowawayPostgres.FindBinaries(out string why) ?? throw new InvalidOperationException(why);
            Say(o, $"recording a {o.Minutes:0.#}-minute session with the firmware's recorder…");
            var sessions = new LoadSessions(o.Minutes);
            int maxWearers = o.Steps.Max();
            using ThrowawayPostgres pg = await ThrowawayPostgres.StartAsync(bin, maxConnections: 200);
            await pg.CreateDatabaseAsync("hinge");
            string cs = pg.ConnectionString("hinge");
            Say(o, $"PostgreSQL {Path.GetFileName(Path.GetDirectoryName(bin))} on 127.0.0.1:{pg.Port}; starting hinge server…");
            (Process server, Uri url) = await StartServerAsync(cs, ct);
            try
            {
                await using NpgsqlDataSource db = NpgsqlDataSource.Create(cs);
                var accounts = new AccountStore(db);
                var teams = new long[o.Coaches];
                const string coachPassword = "bench coach password";
                for (int c = 0; c < o.Coaches; c++)
                {
                    teams[c] = await accounts.CreateTeamAsync($"Team {c + 1}", ct);
                    long coach = await accounts.AddPersonAsync($"coach{c + 1}@bench.example", $"Coach {c + 1}", coachPassword, ct);
                    await accounts.JoinAsync(teams[c], coach, Roles.Coach, ct);
                }

                var logs = new LatencyLogBox();
                var coaches = Enumerable.Range(0, o.Coaches).Select(_ => new CoachBrowser(url, logs)).ToList();
                var serverMeter = new ProcessMeter(server.Id, withChildren: false);
                var dbMeter = new ProcessMeter(pg.PostmasterPid, withChildren: true);
                var steps = new List<StepFigures>();
                try
                {
                    for (int c = 0; c < o.Coaches; c++) await coaches[c].SignInAsync($"coach{c + 1}@bench.example", coachPassword);
                    int wearerNumber = 0;
                    // Untimed first: a few uploads and listings, so that the first step measures the server running, not its JIT.
                    var warmUp = new List<(string Token, byte[] File)>();
                    for (; wearerNumber < WarmUpWearers; wearerNumber++) warmUp.Add(await WearerAsync(wearerNumber));
                    Say(o, $"warm-up: {WarmUpWearers} wearers, the coaches browsing…");
                    await StepAsync(o, url, warmUp, coaches, logs, serverMeter, dbMeter, db, ct);
                    foreach (int n in o.Steps)
                    {
                        Say(o, $"{n} wearers: accounts, tokens and session files…");
                        var wearers = new List<(string Token, byte[] File)>();
                        for (int i = 0; i < n; i++, wearerNumber++) wearers.Add(await WearerAsync(wearerNumber));
                        Say(o, $"{n} wearers uploading at once while {o.Coaches} coaches browse…");
                        steps.Add(await StepAsync(o, url, wearers, coaches, logs, serverMeter, dbMeter, db, ct));
                        StepFigures s = steps[^1];
                        Say(o, $"  {s.Stored}/{n} stored in {s.WallS:0.0} s, {s.Errors} errors");
                    }
                }
                finally
                {
                    foreach (CoachBrowser c in coaches) c.Dispose();
                }
                StorageFigures storage = await StorageAsync(db, ct);

                // A person in a team (round robin), their upload token and their session.
                async Task<(string Token, byte[] File)> WearerAsync(int number)
                {
                    long person = await accounts.AddPersonAsync($"wearer{number}@bench.example", $"Wearer {number}", null, ct);
                    await accounts.JoinAsync(teams[number % o.Coaches], person, Roles.Athlete, ct);
                    return ((await accounts.IssueTokenAsync(person, "bench", ct)).Secret, sessions.For(number));
                }
                return new ServerLoadReport(Path.GetFileName(Path.GetDirectoryName(bin)) ?? "?", sessions.Length, sessions.Seconds, o.Coaches, steps, storage);
            }
            finally
            {
                server.Kill();
                await server.WaitForExitAsync(CancellationToken.None);
                server.Dispose();
            }
        }

        private static async Task<StepFigures> StepAsync(ServerLoadOptions o, Uri url, List<(string Token, byte[] File)> wearers, List<CoachBrowser> coaches,
            LatencyLogBox logs, ProcessMeter serverMeter, ProcessMeter dbMeter, NpgsqlDataSource db, CancellationToken ct)
        {
            logs.Next();
            double serverCpu0 = serverMeter.CpuSeconds(), dbCpu0 = dbMeter.CpuSeconds();
            serverMeter.TakePeakBytes();
            dbMeter.TakePeakBytes();
            using var stopBrowsing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Task sampling = Task.WhenAll(serverMeter.RunAsync(stopBrowsing.Token), dbMeter.RunAsync(stopBrowsing.Token));
            Task browsing = Task.WhenAll(coaches.Select(c => c.BrowseAsync(o.CoachThink, 5, stopBrowsing.Token)));

            var watch = Stopwatch.StartNew();
            bool[] stored = await Task.WhenAll(wearers.Select(w => Task.Run(() => UploadAsync(url, w.Token, w.File, o.PartBytes, logs, ct))));
            double wall = watch.Elapsed.TotalSeconds;
            stopBrowsing.Cancel();
            await browsing;
            await sampling;
            double serverCpu = serverMeter.CpuSeconds() - serverCpu0, dbCpu = dbMeter.CpuSeconds() - dbCpu0;
            LatencyLog log = logs.Next();
            int ok = stored.Count(s => s);
            long bytes = wearers.Sum(w => (long)w.File.Length);
            await using NpgsqlCommand count = db.CreateCommand("SELECT count(*) FROM sessions");
            long inDb = (long)(await count.ExecuteScalarAsync(ct))!;
            return new StepFigures(wearers.Count, ok, wall, ok / wall, bytes / 1e6 / wall, log.Kinds, log.Requests, log.Errors, log.ErrorsByKind.ToDictionary(k => k.Key, k => k.Value), log.ErrorExamples,
                serverCpu, dbCpu, serverMeter.TakePeakBytes(), dbMeter.TakePeakBytes(), inDb);
        }

        // One wearer's `hinge sync` of one session: the upload client over a connection of its own, each request timed.
        private static async Task<bool> UploadAsync(Uri url, string token, byte[] file, int partBytes, LatencyLogBox logs, CancellationToken ct)
        {
            var timing = new TimingHandler(logs, file.Length) { InnerHandler = new SocketsHttpHandler() };
            using var client = new UploadClient(url, token, timing, partBytes);
            try
            {
                UploadOutcome outcome = await client.UploadAsync(file, ct);
                if (outcome.Result == UploadOutcome.Stored) return true;
                logs.Current.Error(UploadLastPart, $"{outcome.Result}: {outcome.Error}");
            }
            catch (Exception e) when (e is HttpRequestException || e is UploadRefusedException || e is InvalidOperationException || e is TaskCanceledException)
            {
                logs.Current.Error(timing.LastKind, e.Message);
            }
            return false;
        }

        private sealed class TimingHandler : DelegatingHandler
        {
            private readonly LatencyLogBox _logs;
            private readonly int _length;

            public TimingHandler(LatencyLogBox logs, int length)
            {
                _logs = logs;
                _length = length;
            }

            public string LastKind { get; private set; } = UploadStatus;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
            {
                ContentRangeHeaderValue? range = request.Content?.Headers.ContentRange;
                LastKind = request.Method == HttpMethod.Get ? UploadStatus : range?.To == _length - 1 ? UploadLastPart : UploadPart;
                var watch = Stopwatch.StartNew();
                HttpResponseMessage r = await base.SendAsync(request, ct);
                await r.Content.LoadIntoBufferAsync(ct);
                if ((int)r.StatusCode < 500) _logs.Current.Record(LastKind, watch.Elapsed.TotalMilliseconds);
                return r;
            }
        }

        private static async Task<(Process, Uri)> StartServerAsync(string cs, CancellationToken ct)
        {
            int port = FreePort();
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "hinge.dll"), "server", "--db", cs, "--urls", $"http://127.0.0.1:{port}",
                         "--login-attempts-per-address", "100000", "--login-attempts-per-account", "100000" })
                psi.ArgumentList.Add(a);
            Process p = Process.Start(psi)!;
            var log = new System.Text.StringBuilder();
            p.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var watch = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using HttpResponseMessage r = await http.GetAsync("health", ct);
                    if (r.StatusCode == HttpStatusCode.OK) return (p, http.BaseAddress);
                }
                catch (HttpRequestException) { }
                if (p.HasExited || watch.Elapsed > TimeSpan.FromSeconds(60))
                {
                    if (!p.HasExited) p.Kill();
                    lock (log) throw new InvalidOperationException($"hinge server did not become healthy: {log}");
                }
                await Task.Delay(100, ct);
            }
        }

        private static async Task<StorageFigures> StorageAsync(NpgsqlDataSource db, CancellationToken ct)
        {
            await using NpgsqlCommand q = db.CreateCommand("""
                SELECT (SELECT count(*) FROM sessions), (SELECT coalesce(avg(length), 0)::float8 FROM sessions),
                       pg_table_size('sessions'), pg_indexes_size('sessions'), pg_total_relation_size('session_files'),
                       (SELECT coalesce(pg_total_relation_size(reltoastrelid), 0) FROM pg_class WHERE oid = 'session_files'::regclass),
                       pg_database_size(current_database())
                """);
            await using NpgsqlDataReader r = await q.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            return new StorageFigures(r.GetInt64(0), r.GetDouble(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6));
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        private static void Say(ServerLoadOptions o, string what) => o.Progress?.WriteLine(what);
    }
}
