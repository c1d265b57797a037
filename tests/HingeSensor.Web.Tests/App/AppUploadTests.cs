using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Server.Sync;
using HingeSensor.TestSupport;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// "Upload to team server" from the app's sessions page to a real `hinge server` on a
    /// throwaway PostgreSQL cluster, the app on another origin (`hinge serve`'s /app) with the
    /// person's upload token: the connection cut during an upload (the server kept a part whose
    /// answer was lost), and the next run resuming from the server's byte and storing the session
    /// once; per session uploaded, already on the server, or refused with the server's reason, as
    /// `hinge sync` says them. The server answers CORS for the token-authenticated upload routes
    /// only, never for the cookie routes.
    /// </summary>
    [Collection("dashboard")]
    public class AppUploadTests : IClassFixture<PostgresDatabase>
    {
        private const int PartBytes = 4096;

        private readonly BrowserFixture _browser;
        private readonly PostgresDatabase _database;
        private readonly ITestOutputHelper _out;

        public AppUploadTests(BrowserFixture browser, PostgresDatabase database, ITestOutputHelper output)
        {
            _browser = browser;
            _database = database;
            _out = output;
        }

        [SkippableFact]
        public async Task A_cut_upload_resumes_and_stores_once_and_each_session_is_said_as_hinge_sync_says_it()
        {
            _database.Require();
            IBrowser browser = _browser.Browser;
            await using TeamServerRun server = await TeamServerRun.StartAsync(_database.ConnectionString);
            server.Admin("team", "add", "Rowing");
            server.Admin("person", "add", "--email", "ana@rowing.example", "--name", "Ana", "--team", "Rowing", "--role", "athlete");
            server.Admin("person", "add", "--email", "ben@rowing.example", "--name", "Ben", "--team", "Rowing", "--role", "athlete");
            string token = server.Admin("token", "new", "--email", "ana@rowing.example", "--label", "Ana's phone").Trim();
            Assert.StartsWith("hst_", token);
            server.Admin("device", "register", "HS1-BEN", "--email", "ben@rowing.example");

            byte[] cut = RecordedSessions.Record("HS1-ANA", 1, 120);   // cut mid-upload, then resumed
            byte[] known = RecordedSessions.Record("HS1-ANA", 2, 20);  // on the server already (`hinge sync` took it)
            byte[] bens = RecordedSessions.Record("HS1-BEN", 3, 20);   // Ben's device: the server refuses it from Ana
            using (var sync = new UploadClient(server.Url, token))
                Assert.Equal(UploadOutcome.Stored, (await sync.UploadAsync(known)).Result);

            await using var dash = await TestDashboard.StartAsync();
            Assert.NotEqual(new Uri(dash.Url).Port, server.Url.Port); // another origin
            await using AppPage app = await AppPage.OpenAsync(browser, AppPage.Phone);
            IPage page = app.Page;
            string appUrl = $"{dash.Url}/app/?upload-part={PartBytes}";
            await page.GotoAsync(appUrl + "#sessions");
            foreach (byte[] file in new[] { cut, known, bens }) await StoreInBrowserAsync(page, file);
            await page.ReloadAsync();
            await Expect(page.Locator("#session-list tbody tr")).ToHaveCountAsync(3);

            // Not an address, or no token: said, nothing sent.
            await page.Locator("#server-url").FillAsync("hinge.club.example");
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload to team server" }).ClickAsync();
            await Expect(page.Locator("#upload-progress")).ToHaveTextAsync("the team server's address 'hinge.club.example' is not an http(s) address (e.g. https://hinge.club.example)");
            await page.Locator("#server-url").FillAsync(server.Url.ToString());
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload to team server" }).ClickAsync();
            await Expect(page.Locator("#upload-progress")).ToContainTextAsync("no upload token");
            // A token the server does not know: refused as a whole, in the server's words.
            await page.Locator("#server-token").FillAsync("hst_not-a-token");
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload to team server" }).ClickAsync();
            await Expect(page.Locator("#upload-progress")).ToHaveTextAsync("the server refused the upload token (the upload token is unknown or revoked): ask for a new one");

            // The connection breaks during the first session's upload: the server has taken the
            // third part, its answer never arrives.
            int puts = 0, keptStatus = 0;
            await page.RouteAsync(server.Url + "api/uploads/**", async route =>
            {
                if (route.Request.Method == "PUT" && ++puts == 3)
                {
                    await using (IAPIResponse kept = await route.FetchAsync()) keptStatus = kept.Status;
                    await route.AbortAsync("connectionreset");
                    return;
                }
                await route.ContinueAsync();
            });
            await page.Locator("#server-token").FillAsync(token);
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload to team server" }).ClickAsync();
            await Expect(page.Locator("#upload-progress")).ToHaveTextAsync("0 uploaded, 0 already on the server, 1 not uploaded");
            await Expect(page.Locator("#upload-results li")).ToHaveCountAsync(1);
            await Expect(page.Locator("#upload-results li").First).ToContainTextAsync("session #1 (HS1-ANA #");
            await Expect(page.Locator("#upload-results li").First).ToContainTextAsync(": interrupted: ");
            await page.UnrouteAllAsync();
            Assert.Equal(202, keptStatus); // the server took the part (202: more to come)
            string digest = UploadClient.Digest(cut);
            using var http = new HttpClient { BaseAddress = server.Url };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using (JsonDocument partial = JsonDocument.Parse(await http.GetStringAsync($"api/uploads/{digest}")))
            {
                Assert.Equal("partial", partial.RootElement.GetProperty("state").GetString());
                Assert.Equal(3 * PartBytes, partial.RootElement.GetProperty("received").GetInt32());
            }

            // Again, with nothing in the way (the real CORS exchange from here on): the first session
            // goes on from the server's byte, the second is there already, the third is Ben's device.
            await page.ReloadAsync(); // the address and token are kept in the browser
            await Expect(page.Locator("#server-token")).ToHaveValueAsync(token);
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload to team server" }).ClickAsync();
            await Expect(page.Locator("#upload-progress")).ToHaveTextAsync("1 uploaded (1 resumed), 1 already on the server, 1 not uploaded");
            string[] said = (await page.Locator("#upload-results li").AllTextContentsAsync()).ToArray();
            foreach (string line in said) _out.WriteLine(line);
            long serverSession;
            using (JsonDocument stored = JsonDocument.Parse(await http.GetStringAsync($"api/uploads/{digest}")))
            {
                Assert.Equal("stored", stored.RootElement.GetProperty("state").GetString());
                serverSession = stored.RootElement.GetProperty("session_id").GetInt64();
            }
            Assert.Equal(3, said.Length);
            Assert.Matches($@"^session #1 \(HS1-ANA #\d+\): resumed at byte {3 * PartBytes} of {cut.Length}, uploaded \(server session {serverSession}\)$", said[0]);
            Assert.Matches(@"^session #2 \(HS1-ANA #\d+\): already on the server \(server session \d+\)$", said[1]);
            Assert.Matches(@"^session #3 \(HS1-BEN #\d+\): conflict by the server: device HS1-BEN is registered to another person, so its sessions are theirs: nothing stored", said[2]);

            // Stored once, byte for byte; a third run changes nothing.
            Assert.Equal(cut, await http.GetByteArrayAsync($"api/sessions/{serverSession}/file"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload to team server" }).ClickAsync();
            await Expect(page.Locator("#upload-progress")).ToHaveTextAsync("0 uploaded, 2 already on the server, 1 not uploaded");
            await Expect(page.Locator("#upload-results li").First).ToContainTextAsync($"already on the server (server session {serverSession})");
            using (JsonDocument listed = JsonDocument.Parse(await http.GetStringAsync("api/sessions")))
                Assert.Equal(2, listed.RootElement.GetProperty("sessions").GetArrayLength());
            // The browser logs the answers this test caused on purpose; nothing else went wrong.
            app.AssertNoErrorsBut("status of 401 (Unauthorized)", "net::ERR_CONNECTION_RESET", "status of 409 (Conflict)");
        }

        [SkippableFact]
        public async Task The_server_answers_other_origins_on_the_upload_routes_with_a_token_only()
        {
            _database.Require();
            await using TeamServerRun server = await TeamServerRun.StartAsync(_database.ConnectionString);
            using var http = new HttpClient { BaseAddress = server.Url };
            const string origin = "https://app.example";
            string digest = new string('a', 64);

            // The preflight for a token upload: allowed, for GET and PUT and the headers an upload sends.
            using (HttpResponseMessage r = await http.SendAsync(Preflight($"api/uploads/{digest}", origin, "PUT", "authorization,content-type,content-range")))
            {
                Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
                Assert.Equal(origin, Assert.Single(r.Headers.GetValues("Access-Control-Allow-Origin")));
                Assert.Contains("PUT", Assert.Single(r.Headers.GetValues("Access-Control-Allow-Methods")));
                Assert.False(r.Headers.Contains("Access-Control-Allow-Credentials"));
            }
            // Without a token (a cookie request), another method, or another route: no permission.
            foreach (HttpRequestMessage refused in new[]
            {
                Preflight($"api/uploads/{digest}", origin, "PUT", "content-type,content-range,x-csrf-token"),
                Preflight($"api/uploads/{digest}", origin, "DELETE", "authorization"),
                Preflight("api/sessions", origin, "GET", "authorization"),
                Preflight("api/tokens", origin, "POST", "authorization,content-type"),
                Preflight("login", origin, "POST", "content-type"),
            })
            {
                using HttpResponseMessage r = await http.SendAsync(refused);
                Assert.False(r.Headers.Contains("Access-Control-Allow-Origin"), $"{refused.Method} {refused.RequestUri} for {refused.Headers.GetValues("Access-Control-Request-Method").Single()}");
            }
            // The request itself: answered to the origin with a token (even a refused one: the app reads why), not without.
            var withToken = new HttpRequestMessage(HttpMethod.Get, $"api/uploads/{digest}");
            withToken.Headers.Add("Origin", origin);
            withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "hst_unknown");
            using (HttpResponseMessage r = await http.SendAsync(withToken))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
                Assert.Equal(origin, Assert.Single(r.Headers.GetValues("Access-Control-Allow-Origin")));
            }
            foreach (string path in new[] { $"api/uploads/{digest}", "api/me", "api/csrf" })
            {
                var cookieStyle = new HttpRequestMessage(HttpMethod.Get, path);
                cookieStyle.Headers.Add("Origin", origin);
                using HttpResponseMessage r = await http.SendAsync(cookieStyle);
                Assert.False(r.Headers.Contains("Access-Control-Allow-Origin"), path);
            }
        }

        private static HttpRequestMessage Preflight(string path, string origin, string method, string headers)
        {
            var m = new HttpRequestMessage(HttpMethod.Options, path);
            m.Headers.Add("Origin", origin);
            m.Headers.Add("Access-Control-Request-Method", method);
            m.Headers.Add("Access-Control-Request-Headers", headers);
            return m;
        }

        // A session in the app's store, as a download from the device stores it.
        private static Task StoreInBrowserAsync(IPage page, byte[] file) => page.EvaluateAsync(
            @"async (b64) => {
                const { sessionModel } = await import('./session-model.js');
                const bin = atob(b64);
                const bytes = new Uint8Array(bin.length);
                for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
                const store = await hingeApp.storeReady;
                await store.addSession(bytes, sessionModel(bytes).summary);
            }", Convert.ToBase64String(file));
    }
}
