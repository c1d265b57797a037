using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Storage;
using HingeSensor.Server.Sync;
using HingeSensor.TestSupport;
using Npgsql;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// The fault campaign of issue 14: during `hinge sync` of a real session file (the firmware's
    /// recorder, five minutes, 4 KiB parts) the `hinge server` process is killed, PostgreSQL is
    /// restarted, the network is cut or the last answer is lost. "Mid-upload" is a condition: a
    /// proxy between client and server holds the client's bytes right after a given part's
    /// Content-Range, and the test waits until the server says it holds the parts before it. After
    /// each fault the session is either stored once and whole (its file byte for byte, its summary)
    /// or not visible at all, and `hinge sync` run again completes it, stored exactly once.
    /// </summary>
    [StartsEarly]
    public class FaultTests : IClassFixture<PostgresDatabase>
    {
        private const int PartBytes = 4096;
        private const double Seconds = 300;

        private readonly PostgresDatabase _db;

        public FaultTests(PostgresDatabase db) => _db = db;

        private static Task<(int Code, string Out, string Err)> Hinge(params string[] args) => HealthTests.Hinge(args);

        [SkippableFact]
        public async Task A_server_killed_mid_upload_stores_nothing_and_the_next_sync_resumes_and_stores_it_once()
        {
            PostgresCluster cluster = _db.Require();
            string cs = cluster.ConnectionString(_db.Name);
            string token = await TeamWithWearerAsync(cs, "Killed");
            using var wearer = new Wearer("HS-KILL", 11);
            using var server = new ServerProcess(cs);
            await server.StartAsync();
            await using var proxy = new FaultProxy(server.Port);

            proxy.StallRequestsAfter($"bytes {2 * PartBytes}-");
            Task<(int Code, string Out, string Err)> sync = wearer.SyncAsync(proxy.Url, token);
            await WaitMidUploadAsync(proxy, server.Url, token, wearer, 2 * PartBytes);

            server.Kill();
            var cut = await sync;
            Assert.True(cut.Code == 1, cut.Out + cut.Err);
            Assert.Contains("interrupted", cut.Out);
            await using (NpgsqlDataSource db = NpgsqlDataSource.Create(cs))
            {
                Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM sessions WHERE digest = $1", wearer.DigestBytes));
                Assert.Equal(2 * PartBytes, await CountAsync(db, "SELECT received FROM uploads WHERE digest = $1", wearer.DigestBytes));
            }

            await server.StartAsync();
            var again = await wearer.SyncAsync(proxy.Url, token);
            Assert.True(again.Code == 0, again.Out + again.Err + server.Log.Text);
            Assert.Contains($"resumed at byte {2 * PartBytes} of {wearer.File.Length}, uploaded", again.Out);
            await AssertStoredOnceAndWholeAsync(server.Url, token, cs, wearer);
            await AssertSyncFindsItStoredAsync(wearer, proxy.Url, token);
        }

        [SkippableFact]
        public async Task A_network_cut_mid_upload_stores_nothing_and_the_next_sync_resumes_and_stores_it_once()
        {
            PostgresCluster cluster = _db.Require();
            string cs = cluster.ConnectionString(_db.Name);
            string token = await TeamWithWearerAsync(cs, "Cut");
            using var wearer = new Wearer("HS-CUT", 12);
            using var server = new ServerProcess(cs);
            await server.StartAsync();
            await using var proxy = new FaultProxy(server.Port);

            proxy.StallRequestsAfter($"bytes {3 * PartBytes}-");
            Task<(int Code, string Out, string Err)> sync = wearer.SyncAsync(proxy.Url, token);
            await WaitMidUploadAsync(proxy, server.Url, token, wearer, 3 * PartBytes);

            proxy.Cut();
            var cut = await sync;
            Assert.True(cut.Code == 1, cut.Out + cut.Err);
            Assert.Contains("interrupted", cut.Out);
            await AssertNotVisibleAsync(server.Url, token, cs, wearer);

            var again = await wearer.SyncAsync(proxy.Url, token);
            Assert.True(again.Code == 0, again.Out + again.Err + server.Log.Text);
            Assert.Contains($"resumed at byte {3 * PartBytes} of {wearer.File.Length}, uploaded", again.Out);
            await AssertStoredOnceAndWholeAsync(server.Url, token, cs, wearer);
            await AssertSyncFindsItStoredAsync(wearer, proxy.Url, token);
        }

        [SkippableFact]
        public async Task A_lost_last_answer_leaves_the_session_stored_once_and_the_next_sync_finds_it_there()
        {
            PostgresCluster cluster = _db.Require();
            string cs = cluster.ConnectionString(_db.Name);
            string token = await TeamWithWearerAsync(cs, "Lost");
            using var wearer = new Wearer("HS-LOST", 13);
            using var server = new ServerProcess(cs);
            await server.StartAsync();
            await using var proxy = new FaultProxy(server.Port);

            // The last part reaches the server, which stores the session; its answer never comes back.
            proxy.HoldAnswersAfter($"-{wearer.File.Length - 1}/{wearer.File.Length}");
            Task<(int Code, string Out, string Err)> sync = wearer.SyncAsync(proxy.Url, token);
            using (HttpClient direct = Clients.WithToken(server.Url, token))
                await ServerRun.WaitForAsync(() => StateAsync(direct, wearer.Digest), s => s.State == "stored" || sync.IsCompleted, "the server to store the session", server.Log);
            Assert.False(sync.IsCompleted, "the sync ended before the answer was cut off");

            proxy.Cut();
            var cut = await sync;
            Assert.True(cut.Code == 1, cut.Out + cut.Err);
            Assert.Contains("interrupted", cut.Out);

            await AssertStoredOnceAndWholeAsync(server.Url, token, cs, wearer);
            await AssertSyncFindsItStoredAsync(wearer, proxy.Url, token);
            await AssertStoredOnceAndWholeAsync(server.Url, token, cs, wearer);
        }

        [SkippableFact]
        public async Task PostgreSQL_restarted_during_the_storing_transaction_stores_nothing_and_the_next_sync_stores_it_once()
        {
            _db.Require();
            PostgresCluster cluster = await PostgresCluster.StartOwnAsync();
            try
            {
                string database = await cluster.CreateDatabaseAsync("restarted");
                string cs = cluster.ConnectionString(database);
                string direct = cs + ";Pooling=false";
                string token = await TeamWithWearerAsync(cs, "Restarted");
                using var wearer = new Wearer("HS-PG", 14);
                using var server = new ServerProcess(cs);
                await server.StartAsync();
                await using var proxy = new FaultProxy(server.Port);

                // Between two parts. The server's pool holds several connections (requests came at once),
                // all dead after the restart: the part that comes next fails, saying so, and the next
                // run completes the upload — not one failed request per pooled connection (Npgsql
                // empties the pool when it finds one of them broken).
                using (var between = new Wearer("HS-PG2", 15))
                {
                    proxy.StallRequestsAfter($"bytes {2 * PartBytes}-");
                    Task<(int Code, string Out, string Err)> first = between.SyncAsync(proxy.Url, token);
                    await WaitMidUploadAsync(proxy, server.Url, token, between, 2 * PartBytes);
                    using (HttpClient busy = Clients.WithToken(server.Url, token))
                        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => StateAsync(busy, between.Digest)));
                    await cluster.RestartImmediateAsync();
                    proxy.Release();
                    var interrupted = await first;
                    Assert.True(interrupted.Code == 1, interrupted.Out + interrupted.Err);
                    Assert.Contains("interrupted: the server cannot take uploads now: the database failed during this request", interrupted.Out);
                    var resumed = await between.SyncAsync(proxy.Url, token);
                    Assert.True(resumed.Code == 0, resumed.Out + resumed.Err + server.Log.Text);
                    Assert.Contains($"resumed at byte {2 * PartBytes} of {between.File.Length}, uploaded", resumed.Out);
                    await AssertStoredOnceAndWholeAsync(server.Url, token, direct, between);
                }

                // Held before the last part's body; session_files locked by the test, so that the
                // transaction storing the session waits in the middle (its row in sessions written).
                proxy.StallRequestsAfter($"-{wearer.File.Length - 1}/{wearer.File.Length}");
                Task<(int Code, string Out, string Err)> sync = wearer.SyncAsync(proxy.Url, token);
                int lastPart = (wearer.File.Length - 1) / PartBytes * PartBytes;
                await WaitMidUploadAsync(proxy, server.Url, token, wearer, lastPart);
                var locker = new NpgsqlConnection(direct);
                await locker.OpenAsync();
                await using (NpgsqlCommand lockFiles = new("BEGIN; LOCK TABLE session_files IN ACCESS EXCLUSIVE MODE", locker))
                    await lockFiles.ExecuteNonQueryAsync();
                proxy.Release();
                await using (NpgsqlDataSource watch = NpgsqlDataSource.Create(direct))
                    await ServerRun.WaitForAsync(() => CountAsync(watch, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'hinge server' AND wait_event_type = 'Lock'"),
                        n => n > 0 || sync.IsCompleted, "the storing transaction to wait on the lock", server.Log);
                Assert.False(sync.IsCompleted, "the sync ended before PostgreSQL was restarted");

                await cluster.RestartImmediateAsync();
                await locker.DisposeAsync();
                var during = await sync;
                await using (NpgsqlDataSource db = NpgsqlDataSource.Create(direct))
                {
                    Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM sessions WHERE digest = $1", wearer.DigestBytes));
                    Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM session_files")); // the first wearer's only
                    Assert.Equal(lastPart, await CountAsync(db, "SELECT received FROM uploads WHERE digest = $1", wearer.DigestBytes));
                }
                // The server says what happened (not a bare 500), and the sync stops as interrupted, to be run again.
                Assert.True(during.Code == 1, during.Out + during.Err);
                Assert.Contains("interrupted: the server cannot take uploads now: the database failed during this request, nothing of it was kept", during.Out);

                var again = await wearer.SyncAsync(proxy.Url, token);
                Assert.True(again.Code == 0, again.Out + again.Err + server.Log.Text);
                Assert.Contains($"resumed at byte {lastPart} of {wearer.File.Length}, uploaded", again.Out);
                await AssertStoredOnceAndWholeAsync(server.Url, token, direct, wearer);
            }
            finally
            {
                cluster.Remove();
            }
        }

        [SkippableFact]
        public async Task Uploads_arriving_together_wait_their_turn_and_leave_database_connections_for_everyone_else()
        {
            PostgresCluster cluster = _db.Require();
            // A pool of 4 connections that gives up waiting for one after 1 s: half of it may store.
            string cs = new NpgsqlConnectionStringBuilder(cluster.ConnectionString(_db.Name)) { MaxPoolSize = 4, Timeout = 1 }.ConnectionString;
            string token = await TeamWithWearerAsync(cs, "Crowd");
            byte[][] files = Enumerable.Range(0, 6).Select(i => SessionFiles.Record("HS-CROWD", 100 + i)).ToArray();
            using var server = new ServerProcess(cs);
            await server.StartAsync();

            // Storing waits on a lock the test holds, as it would behind a slow disk or a long decode.
            string direct = cluster.ConnectionString(_db.Name) + ";Pooling=false";
            var locker = new NpgsqlConnection(direct);
            await locker.OpenAsync();
            await using (NpgsqlCommand lockFiles = new("BEGIN; LOCK TABLE session_files IN ACCESS EXCLUSIVE MODE", locker))
                await lockFiles.ExecuteNonQueryAsync();
            var clients = files.Select(_ => new UploadClient(server.Url, token)).ToList();
            Task<UploadOutcome>[] uploads = files.Select((f, i) => clients[i].UploadAsync(f)).ToArray();
            await using (NpgsqlDataSource watch = NpgsqlDataSource.Create(direct))
            {
                const string waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'hinge server' AND wait_event_type = 'Lock'";
                await ServerRun.WaitForAsync(() => CountAsync(watch, waiting), n => n >= 2 || uploads.Any(u => u.IsCompleted), "two uploads to wait on the lock", server.Log);

                // Everything else still finds a connection: a listing and a status question answer at once.
                using HttpClient http = Clients.WithToken(server.Url, token);
                using (HttpResponseMessage list = await http.GetAsync("api/sessions"))
                    Assert.True(list.StatusCode == HttpStatusCode.OK, $"{(int)list.StatusCode} {await list.Content.ReadAsStringAsync()}");
                Assert.Equal("none", (await StateAsync(http, Convert.ToHexStringLower(SHA256.HashData(files[5])))).State);
                Assert.Equal(2, await CountAsync(watch, waiting));
                Assert.DoesNotContain(uploads, u => u.IsCompleted);
            }
            await locker.DisposeAsync();

            UploadOutcome[] done = await Task.WhenAll(uploads);
            Assert.All(done, o => Assert.Equal(UploadOutcome.Stored, o.Result));
            await using NpgsqlDataSource db = NpgsqlDataSource.Create(direct);
            Assert.Equal(6, await CountAsync(db, "SELECT count(*) FROM sessions WHERE digest = ANY($1)", new object[] { files.Select(f => SHA256.HashData(f)).ToArray() }));
            foreach (UploadClient c in clients) c.Dispose();
        }

        [Fact]
        public async Task A_gateway_error_from_the_TLS_proxy_in_front_interrupts_the_upload_rather_than_refusing_it()
        {
            // What nginx answers while `hinge server` behind it is down (killed, restarting): its own HTML page.
            using var client = new UploadClient(new Uri("https://hinge.example/"), "hst_x", new Answering(HttpStatusCode.BadGateway, "<html><body>502 Bad Gateway</body></html>", "text/html"));
            var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.UploadAsync(SessionFiles.Record("HS-GW", 1)));
            Assert.Equal(HttpStatusCode.BadGateway, e.StatusCode);
            Assert.Equal("the server cannot take uploads now: 502 Bad Gateway", e.Message);
        }

        private sealed class Answering(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
                Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType), RequestMessage = request });
        }

        /// <summary>A team with one athlete; their upload token.</summary>
        private static async Task<string> TeamWithWearerAsync(string cs, string team)
        {
            Assert.Equal(0, (await Hinge("server", "team", "add", team, "--db", cs)).Code);
            string email = $"ana@{team.ToLowerInvariant()}.example";
            Assert.Equal(0, (await Hinge("server", "person", "add", "--db", cs, "--email", email, "--name", "Ana", "--team", team)).Code);
            var issued = await Hinge("server", "token", "new", "--db", cs, "--email", email);
            Assert.Equal(0, issued.Code);
            return issued.Out.Trim();
        }

        // Held by the proxy, and the server holds the parts before the held one: some bytes, not all.
        private static async Task WaitMidUploadAsync(FaultProxy proxy, Uri server, string token, Wearer wearer, int expected)
        {
            using HttpClient direct = Clients.WithToken(server, token);
            var (state, received) = await ServerRun.WaitForAsync(() => StateAsync(direct, wearer.Digest), s => proxy.Stalled && s.Received >= expected,
                $"the server to hold {expected} bytes of the upload");
            Assert.Equal(("partial", expected), (state, received));
            Assert.InRange(received, 1, wearer.File.Length - 1);
            Assert.DoesNotContain(wearer.Digest, await Clients.ListedDigestsAsync(direct));
        }

        private static async Task<(string State, int Received)> StateAsync(HttpClient http, string digest)
        {
            using HttpResponseMessage r = await http.GetAsync($"api/uploads/{digest}");
            JsonElement a = await r.JsonAsync();
            return (a.GetProperty("state").GetString()!, a.TryGetProperty("received", out JsonElement n) ? n.GetInt32() : -1);
        }

        private static async Task AssertNotVisibleAsync(Uri server, string token, string cs, Wearer wearer)
        {
            using HttpClient http = Clients.WithToken(server, token);
            Assert.DoesNotContain(wearer.Digest, await Clients.ListedDigestsAsync(http));
            Assert.NotEqual("stored", (await StateAsync(http, wearer.Digest)).State);
            await using NpgsqlDataSource db = NpgsqlDataSource.Create(cs);
            Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM sessions WHERE digest = $1", wearer.DigestBytes));
        }

        // Stored once and whole: one row under this digest, listed once, the file byte for byte, the summary computed, no upload left over.
        private static async Task AssertStoredOnceAndWholeAsync(Uri server, string token, string cs, Wearer wearer)
        {
            using HttpClient http = Clients.WithToken(server, token);
            using HttpResponseMessage r = await http.GetAsync($"api/uploads/{wearer.Digest}");
            JsonElement status = await r.JsonAsync();
            Assert.Equal("stored", status.GetProperty("state").GetString());
            long id = status.GetProperty("session_id").GetInt64();
            Assert.Single(await Clients.ListedDigestsAsync(http), d => d == wearer.Digest);
            byte[] file = await http.GetByteArrayAsync($"api/sessions/{id}/file");
            Assert.Equal(wearer.Digest, Convert.ToHexStringLower(SHA256.HashData(file)));
            Assert.Equal(wearer.File, file);
            JsonElement summary = await (await http.GetAsync($"api/sessions/{id}")).JsonAsync();
            Assert.Equal((int)(Seconds * 25), summary.GetProperty("frames").GetInt32());
            Assert.Equal(4, summary.GetProperty("reps").GetInt32());
            Assert.Equal(wearer.File.Length, summary.GetProperty("length").GetInt32());
            await using NpgsqlDataSource db = NpgsqlDataSource.Create(cs);
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM sessions WHERE digest = $1", wearer.DigestBytes));
            Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM uploads WHERE digest = $1", wearer.DigestBytes));
        }

        private static async Task AssertSyncFindsItStoredAsync(Wearer wearer, Uri server, string token)
        {
            var r = await wearer.SyncAsync(server, token);
            Assert.True(r.Code == 0, r.Out + r.Err);
            Assert.Contains("hinge sync: 0 uploaded, 1 already on the server, 0 not uploaded", r.Out);
        }

        private static async Task<long> CountAsync(NpgsqlDataSource db, string sql, params object[] args)
        {
            await using NpgsqlCommand c = db.CreateCommand(sql);
            foreach (object v in args) c.Parameters.AddWithValue(v);
            return Convert.ToInt64(await c.ExecuteScalarAsync() ?? -1L);
        }

        /// <summary>A wearer's computer: its `hinge` log holding one downloaded session of five minutes.</summary>
        private sealed class Wearer : IDisposable
        {
            private readonly TempDir _dir = new();

            public Wearer(string serial, int seed)
            {
                File = SessionFiles.Record(serial, seed, seconds: Seconds);
                DigestBytes = SHA256.HashData(File);
                Digest = Convert.ToHexStringLower(DigestBytes);
                using var log = new SessionDatabase(LocalDb);
                log.ImportDeviceSession(new DeviceIdentityInfo(serial, "HingeSensor", null, null, null), File);
            }

            public byte[] File { get; }
            public byte[] DigestBytes { get; }
            public string Digest { get; }
            public string LocalDb => _dir.File("hinge.db");

            public Task<(int Code, string Out, string Err)> SyncAsync(Uri server, string token) =>
                Hinge("sync", "--server", server.ToString(), "--token", token, "--db", LocalDb, "--part-bytes", PartBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));

            public void Dispose() => _dir.Dispose();
        }
    }
}
