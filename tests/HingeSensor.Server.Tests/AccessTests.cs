using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Server.Accounts;
using HingeSensor.Server.Sync;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// Who sees what, through HTTP as each of them would ask: an athlete their own sessions, a coach
    /// their team's, nobody another team's; a revoked token is refused; passwords are hashed with a
    /// KDF; the sign-in cookie is Secure, HttpOnly and SameSite; forms and cookie requests that
    /// change something need the antiforgery token; sign-in attempts are limited.
    /// </summary>
    public class AccessTests : IClassFixture<TeamFixture>
    {
        private readonly TeamFixture _team;

        public AccessTests(TeamFixture team) => _team = team;

        private async Task<long> UploadAsync(string token, string serial, int seed)
        {
            using var client = new UploadClient(_team.Url, token);
            UploadOutcome o = await client.UploadAsync(SessionFiles.Record(serial, seed));
            Assert.Equal(UploadOutcome.Stored, o.Result);
            return o.SessionId!.Value;
        }

        private async Task<Browser> SignedInAsync(string email)
        {
            var b = new Browser(_team.Url);
            using HttpResponseMessage r = await b.SignInAsync(email, TeamFixture.Password);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            return b;
        }

        private static async Task<List<long>> ListedIdsAsync(Browser b, string query = "")
        {
            using HttpResponseMessage r = await b.GetAsync("api/sessions" + query);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return (await r.JsonAsync()).GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).ToList();
        }

        [SkippableFact]
        public async Task Athletes_see_their_own_coaches_their_team_and_nobody_another_team()
        {
            _ = _team.Cluster;
            long ana = await UploadAsync(_team.AnaToken, "HS-A-10", 101);
            long ben = await UploadAsync(_team.BenToken, "HS-B-10", 102);
            long eve = await UploadAsync(_team.EveToken, "HS-E-10", 103);

            using (Browser a = await SignedInAsync("ana@rowing.example"))
            {
                List<long> seen = await ListedIdsAsync(a);
                Assert.Contains(ana, seen);
                Assert.DoesNotContain(ben, seen);
                Assert.DoesNotContain(eve, seen);
                Assert.Empty(await ListedIdsAsync(a, $"?person={_team.Ben}")); // asking for someone else's gives nothing
                foreach (long other in new[] { ben, eve })
                {
                    using HttpResponseMessage one = await a.GetAsync($"api/sessions/{other}");
                    Assert.Equal(HttpStatusCode.NotFound, one.StatusCode); // as if it did not exist
                    using HttpResponseMessage file = await a.GetAsync($"api/sessions/{other}/file");
                    Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
                }
            }
            using (Browser cora = await SignedInAsync("cora@rowing.example"))
            {
                List<long> seen = await ListedIdsAsync(cora);
                Assert.Contains(ana, seen);
                Assert.Contains(ben, seen);
                Assert.DoesNotContain(eve, seen);
                Assert.Equal(new[] { ben }, (await ListedIdsAsync(cora, $"?person={_team.Ben}")).Where(id => id == ben || id == ana || id == eve));
                using HttpResponseMessage mine = await cora.GetAsync($"api/sessions/{ben}/file");
                Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
                using HttpResponseMessage theirs = await cora.GetAsync($"api/sessions/{eve}");
                Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
            }
            using (Browser dan = await SignedInAsync("dan@judo.example"))
            {
                List<long> seen = await ListedIdsAsync(dan);
                Assert.Contains(eve, seen);
                Assert.DoesNotContain(ana, seen);
                Assert.DoesNotContain(ben, seen);
            }
            // A token sees what its person sees.
            using HttpClient eveToken = Clients.WithToken(_team.Url, _team.EveToken);
            using HttpResponseMessage r = await eveToken.GetAsync($"api/sessions/{ana}");
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }

        [SkippableFact]
        public async Task A_session_list_comes_in_pages_newest_first_and_each_session_once()
        {
            _ = _team.Cluster;
            long person = await _team.Accounts.AddPersonAsync("pat@rowing.example", "Pat", null);
            await _team.Accounts.JoinAsync(_team.Rowing, person, Roles.Athlete);
            string token = (await _team.Accounts.IssueTokenAsync(person, "pat")).Secret;
            var stored = new List<long>();
            for (int i = 0; i < 7; i++)
            {
                using var client = new UploadClient(_team.Url, token);
                stored.Add((await client.UploadAsync(SessionFiles.Record("HS-PAT-1", 200 + i, seconds: 5, reps: 0, chinDrops: 0, startUnixMs: SessionFiles.Start + i * 60_000L))).SessionId!.Value);
            }
            using HttpClient pat = Clients.WithToken(_team.Url, token);
            var seen = new List<long>();
            string? cursor = null;
            int pages = 0;
            do
            {
                JsonElement page = await (await pat.GetAsync($"api/sessions?limit=3{(cursor == null ? "" : "&cursor=" + cursor)}")).JsonAsync();
                seen.AddRange(page.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
                cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
                pages++;
            } while (cursor != null);
            Assert.Equal(3, pages);
            Assert.Equal(Enumerable.Reverse(stored), seen);
            using HttpResponseMessage bad = await pat.GetAsync("api/sessions?cursor=yesterday");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        [SkippableFact]
        public async Task A_revoked_token_is_refused_from_its_next_request()
        {
            _ = _team.Cluster;
            var (id, secret) = await _team.Accounts.IssueTokenAsync(_team.Ben, "Ben's old phone");
            await UploadAsync(secret, "HS-B-11", 111);

            // Someone of another team cannot revoke it (and cannot tell that it exists).
            using (Browser dan = await SignedInAsync("dan@judo.example"))
            {
                using HttpResponseMessage no = await dan.SendAsync(HttpMethod.Delete, $"api/tokens/{id}", csrf: await dan.CsrfAsync());
                Assert.Equal(HttpStatusCode.NotFound, no.StatusCode);
            }
            using (Browser cora = await SignedInAsync("cora@rowing.example"))
            {
                using HttpResponseMessage yes = await cora.SendAsync(HttpMethod.Delete, $"api/tokens/{id}", csrf: await cora.CsrfAsync());
                Assert.Equal(HttpStatusCode.NoContent, yes.StatusCode);
            }
            using HttpClient old = Clients.WithToken(_team.Url, secret);
            using HttpResponseMessage r = await old.GetAsync("api/sessions");
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Contains("revoked", (await r.JsonAsync()).GetProperty("error").GetString());
            using var client = new UploadClient(_team.Url, secret);
            var e = await Assert.ThrowsAsync<UploadRefusedException>(() => client.UploadAsync(SessionFiles.Record("HS-B-11", 112)));
            Assert.Contains("refused the upload token", e.Message);
            // Ben's other token still works.
            using HttpClient current = Clients.WithToken(_team.Url, _team.BenToken);
            Assert.Equal(HttpStatusCode.OK, (await current.GetAsync("api/sessions")).StatusCode);
        }

        [SkippableFact]
        public async Task Passwords_are_kept_as_PBKDF2_hashes_and_the_sign_in_cookie_is_Secure_HttpOnly_SameSite()
        {
            _ = _team.Cluster;
            string hash = "";
            await using (var c = _team.Db.CreateCommand("SELECT password_hash FROM people WHERE id = $1"))
            {
                c.Parameters.AddWithValue(_team.Cora);
                hash = (string)(await c.ExecuteScalarAsync())!;
            }
            Assert.DoesNotContain(TeamFixture.Password, hash);
            // Identity's V3 format: marker 0x01, PRF HMAC-SHA512 (2), the iteration count, a 16-byte salt, a 32-byte subkey.
            byte[] h = Convert.FromBase64String(hash);
            Assert.Equal(1, h[0]);
            Assert.Equal(2u, ReadBigEndian(h, 1));
            Assert.Equal((uint)Passwords.Iterations, ReadBigEndian(h, 5));
            Assert.Equal(16u, ReadBigEndian(h, 9));
            Assert.Equal(13 + 16 + 32, h.Length);

            using var b = new Browser(_team.Url);
            using HttpResponseMessage wrong = await b.SignInAsync("cora@rowing.example", "not her password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.False(b.HasCookie(Web.ServerAuth.CookieName));
            using HttpResponseMessage right = await b.SignInAsync("cora@rowing.example", TeamFixture.Password);
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
            string cookie = b.SetCookies.Single(c => c.StartsWith(Web.ServerAuth.CookieName + "=", StringComparison.Ordinal)).ToLowerInvariant();
            Assert.Contains("; secure", cookie);
            Assert.Contains("; httponly", cookie);
            Assert.Contains("; samesite=strict", cookie);
            using HttpResponseMessage home = await b.GetAsync("");
            Assert.Contains("Signed in as Cora", await home.Content.ReadAsStringAsync());

            // The same request as plain http, not through the TLS proxy: no sign-in form at all, said why.
            using var plain = new Browser(_team.Url) { ViaTlsProxy = false };
            using HttpResponseMessage refused = await plain.GetAsync("login");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("needs https", await refused.Content.ReadAsStringAsync());
        }

        private static uint ReadBigEndian(byte[] b, int at) => (uint)(b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]);

        [SkippableFact]
        public async Task Forms_and_cookie_requests_that_change_something_need_the_antiforgery_token()
        {
            _ = _team.Cluster;
            using var b = new Browser(_team.Url);
            using (HttpResponseMessage forged = await b.SignInAsync("cora@rowing.example", TeamFixture.Password, withCsrf: false))
            {
                Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
                Assert.Contains("antiforgery", await forged.Content.ReadAsStringAsync());
            }
            Assert.False(b.HasCookie(Web.ServerAuth.CookieName));
            using (HttpResponseMessage ok = await b.SignInAsync("cora@rowing.example", TeamFixture.Password)) Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);

            var (id, _) = await _team.Accounts.IssueTokenAsync(_team.Ana, "to revoke");
            using (HttpResponseMessage forged = await b.SendAsync(HttpMethod.Delete, $"api/tokens/{id}"))
                Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Null((await _team.Accounts.TokensAsync(_team.Ana)).Single(t => t.Id == id).RevokedAt);
            using (HttpResponseMessage ok = await b.SendAsync(HttpMethod.Delete, $"api/tokens/{id}", csrf: await b.CsrfAsync()))
                Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
            Assert.NotNull((await _team.Accounts.TokensAsync(_team.Ana)).Single(t => t.Id == id).RevokedAt);
        }

        [SkippableFact]
        public async Task A_coach_issues_an_upload_token_for_an_athlete_of_the_team_only()
        {
            _ = _team.Cluster;
            using Browser cora = await SignedInAsync("cora@rowing.example");
            string csrf = await cora.CsrfAsync();
            using HttpResponseMessage made = await cora.SendAsync(HttpMethod.Post, "api/tokens", JsonContent.Create(new { label = "Ana's tablet", person_id = _team.Ana }), csrf);
            Assert.Equal(HttpStatusCode.Created, made.StatusCode);
            string secret = (await made.JsonAsync()).GetProperty("token").GetString()!;
            Assert.StartsWith(UploadTokens.Prefix, secret);
            long stored = await UploadAsync(secret, "HS-A-12", 121);
            using HttpClient ana = Clients.WithToken(_team.Url, _team.AnaToken);
            Assert.Equal("Ana", (await (await ana.GetAsync($"api/sessions/{stored}")).JsonAsync()).GetProperty("person").GetString());

            using HttpResponseMessage not = await cora.SendAsync(HttpMethod.Post, "api/tokens", JsonContent.Create(new { label = "x", person_id = _team.Eve }), csrf);
            Assert.Equal(HttpStatusCode.NotFound, not.StatusCode);
            // The secret itself is nowhere in the database: only its SHA-256.
            Assert.Equal(0, await _team.ScalarAsync("SELECT count(*) FROM upload_tokens WHERE encode(secret_sha256, 'escape') LIKE '%' || $1 || '%'", secret));
            Assert.Equal(1, await _team.ScalarAsync("SELECT count(*) FROM upload_tokens WHERE secret_sha256 = $1", UploadTokens.Fingerprint(secret)));
        }
    }

    /// <summary>Sign-in attempts beyond the limit are refused, the right password included, before it is checked.</summary>
    public class LoginThrottleTests : IAsyncLifetime
    {
        private readonly PostgresDatabase _database = new();
        private ServerRun? _server;

        public async Task InitializeAsync()
        {
            await _database.InitializeAsync();
            if (_database.Cluster == null) return;
            await using var db = Npgsql.NpgsqlDataSource.Create(_database.ConnectionString);
            await Schema.SchemaMigrator.MigrateAsync(db);
            await new AccountStore(db).AddPersonAsync("cora@rowing.example", "Cora", TeamFixture.Password);
            _server = await ServerRun.StartAsync(_database.ConnectionString);
        }

        [SkippableFact]
        public async Task The_sixth_attempt_on_one_account_within_the_window_is_refused_even_with_the_right_password()
        {
            _database.Require();
            using var b = new Browser(_server!.Url);
            for (int i = 0; i < 5; i++)
            {
                using HttpResponseMessage wrong = await b.SignInAsync("cora@rowing.example", $"guess {i}");
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }
            using HttpResponseMessage limited = await b.SignInAsync("Cora@Rowing.example", TeamFixture.Password);
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.True(limited.Headers.RetryAfter != null);
            Assert.False(b.HasCookie(Web.ServerAuth.CookieName));
        }

        public async Task DisposeAsync()
        {
            if (_server != null) await _server.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}
