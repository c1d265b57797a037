using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Threading.Tasks;
using HingeSensor.Host.Storage;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// `hinge sync` end to end: `hinge server --db … --urls http://127.0.0.1:PORT` as its own
    /// process on real PostgreSQL (started as the README says, ready when /health says so), and a
    /// local log whose sessions came the way a download stores them.
    /// </summary>
    public class SyncTests : IClassFixture<PostgresDatabase>
    {
        private readonly PostgresDatabase _db;

        public SyncTests(PostgresDatabase db) => _db = db;

        private static Task<(int Code, string Out, string Err)> Hinge(params string[] args) => HealthTests.Hinge(args);

        [SkippableFact]
        public async Task Sync_uploads_what_the_server_lacks_resumes_an_interrupted_upload_and_stops_at_a_revoked_token()
        {
            PostgresCluster cluster = _db.Require();
            string cs = cluster.ConnectionString(_db.Name);
            Assert.Equal(0, (await Hinge("server", "team", "add", "Rowing", "--db", cs)).Code);
            Assert.Equal(0, (await Hinge("server", "person", "add", "--db", cs, "--email", "ana@rowing.example", "--name", "Ana", "--team", "Rowing")).Code);
            var issued = await Hinge("server", "token", "new", "--db", cs, "--email", "ana@rowing.example");
            string token = issued.Out.Trim();

            using var dir = new TempDir();
            string local = dir.File("hinge.db");
            byte[][] files = { SessionFiles.Record("HS-ANA", 1), SessionFiles.Record("HS-ANA", 2, seconds: 40), SessionFiles.Record("HS-ANA", 3, seconds: 90) };
            using (var log = new SessionDatabase(local))
                foreach (byte[] f in files) log.ImportDeviceSession(new DeviceIdentityInfo("HS-ANA", "HingeSensor", null, null, null), f);

            int port = LoopbackPorts.OutsideEphemeralRange();
            var serverLog = new CapturedWriter();
            using Process server = StartServerProcess(cs, port, serverLog);
            try
            {
                var url = new Uri($"http://127.0.0.1:{port}/");
                using var http = new HttpClient { BaseAddress = url };
                await ServerRun.WaitForAsync(async () =>
                {
                    try { return (await http.GetAsync("health")).StatusCode; }
                    catch (HttpRequestException) { return HttpStatusCode.ServiceUnavailable; }
                }, s => s == HttpStatusCode.OK || server.HasExited, "the server process's /health");
                if (server.HasExited) Assert.Fail($"hinge server exited {server.ExitCode}: {serverLog.Text}");

                // The third session's upload was cut off after its first 1000 bytes (as a lost connection would leave it).
                using (HttpClient ana = Clients.WithToken(url, token))
                using (var part = new ByteArrayContent(files[2], 0, 1000))
                {
                    part.Headers.ContentRange = new ContentRangeHeaderValue(0, 999, files[2].Length);
                    Assert.Equal(HttpStatusCode.Accepted, (await ana.PutAsync($"api/uploads/{Convert.ToHexStringLower(SHA256.HashData(files[2]))}", part)).StatusCode);
                }

                var first = await Hinge("sync", "--server", url.ToString(), "--token", token, "--db", local, "--part-bytes", "2048");
                Assert.True(first.Code == 0, first.Out + first.Err);
                Assert.Contains("session 1 (HS-ANA #", first.Out);
                Assert.Contains($"uploaded, {files[0].Length} bytes", first.Out);
                Assert.Contains($"session 3 (HS-ANA #", first.Out);
                Assert.Contains($"resumed at byte 1000 of {files[2].Length}, uploaded", first.Out);
                Assert.Contains("hinge sync: 3 uploaded (1 resumed), 0 already on the server, 0 not uploaded", first.Out);

                using (HttpClient ana = Clients.WithToken(url, token))
                    Assert.Equal(files.Select(f => Convert.ToHexStringLower(SHA256.HashData(f))).OrderBy(d => d), (await Clients.ListedDigestsAsync(ana)).OrderBy(d => d));

                var second = await Hinge("sync", "--server", url.ToString(), "--token", token, "--db", local);
                Assert.Equal(0, second.Code);
                Assert.Contains("hinge sync: 0 uploaded, 3 already on the server, 0 not uploaded", second.Out);

                Assert.Equal(0, (await Hinge("server", "token", "revoke", "1", "--db", cs)).Code);
                var revoked = await Hinge("sync", "--server", url.ToString(), "--token", token, "--db", local);
                Assert.Equal(2, revoked.Code);
                Assert.Contains("the server refused the upload token (the upload token is unknown or revoked)", revoked.Err);
            }
            finally
            {
                server.Kill();
                server.WaitForExit();
            }
        }

        [SkippableFact]
        public async Task Sync_says_what_is_wrong_with_its_arguments()
        {
            _db.Require();
            var noToken = await Hinge("sync", "--server", "http://127.0.0.1:1/");
            Assert.Equal(2, noToken.Code);
            Assert.Contains("no upload token", noToken.Err);
            var notHttp = await Hinge("sync", "--server", "ftp://example.org", "--token", "hst_x");
            Assert.Equal(2, notHttp.Code);
            Assert.Contains("is not an http(s) address", notHttp.Err);
        }

        private static Process StartServerProcess(string cs, int port, CapturedWriter log)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "hinge.dll"), "server", "--db", cs, "--urls", $"http://127.0.0.1:{port}" })
                psi.ArgumentList.Add(a);
            var p = Process.Start(psi)!;
            // Drained, so that a chatty server never blocks on a full pipe.
            p.OutputDataReceived += (_, e) => log.WriteLine(e.Data);
            p.ErrorDataReceived += (_, e) => log.WriteLine(e.Data);
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }
    }
}
