using HingeSensor.TestSupport;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading.Tasks;
using HingeSensor.Host.Web;
using Xunit;

namespace HingeSensor.Web.Tests
{
    /// <summary>
    /// Who may use the dashboard, through HTTP: served beyond loopback it wants the login token
    /// (cookie, login page or ?token=); on loopback the Host header check stays on even then; and
    /// every answer carries the CSP and no-framing headers.
    /// </summary>
    [Collection("dashboard")]
    public class AccessTests
    {
        private const string Token = "a-test-token-of-this-dashboard";

        /// <summary>A non-loopback IPv4 address of this machine (the dashboard on 0.0.0.0 is reached on it as from the network).</summary>
        private static IPAddress NetworkAddress()
        {
            IPAddress? found = NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
            Skip.If(found == null, "this machine has no network address besides loopback to reach the dashboard on");
            return found!;
        }

        private static async Task<(DashboardServer Server, int Port, TempDir Dir)> ServeEverywhereAsync()
        {
            var dir = new TempDir();
            DashboardServer server = await DashboardServer.StartAsync(new DashboardOptions
            {
                Urls = new[] { "http://0.0.0.0:0" },
                DatabasePath = Path.Combine(dir.Path, "hinge.db"),
                LoginToken = Token,
            });
            return (server, new Uri(server.Urls[0].Replace("0.0.0.0", "127.0.0.1")).Port, dir);
        }

        private static HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

        private static HttpRequestMessage Get(string url, string? cookie = null)
        {
            var r = new HttpRequestMessage(HttpMethod.Get, url);
            if (cookie != null) r.Headers.Add("Cookie", cookie);
            return r;
        }

        [SkippableFact]
        public async Task From_the_network_nothing_but_the_login_page_and_the_page_code_is_served_without_the_token()
        {
            IPAddress lan = NetworkAddress();
            var (server, port, dir) = await ServeEverywhereAsync();
            await using (server)
            using (dir)
            using (HttpClient http = Client())
            {
                string origin = $"http://{lan}:{port}";
                using HttpResponseMessage page = await http.SendAsync(Get(origin + "/"));
                Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
                string html = await page.Content.ReadAsStringAsync();
                Assert.Contains("<form method=\"post\" action=\"/login\">", html);
                Assert.DoesNotContain("live.js", html);
                foreach (string path in new[] { "/sessions", "/sessions/1", "/api/live" })
                    Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Get(origin + path))).StatusCode);
                var press = new HttpRequestMessage(HttpMethod.Post, origin + "/api/device/recording/start");
                press.Headers.Add(DeviceEndpoints.ActionHeader, "1");
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(press)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Get(origin + "/assets/dashboard.css"))).StatusCode);
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Get(origin + "/", $"{DashboardAccess.CookieName}=not-it"))).StatusCode);
            }
        }

        [SkippableFact]
        public async Task The_token_in_the_link_logs_in_with_a_cookie_and_leaves_the_address()
        {
            IPAddress lan = NetworkAddress();
            var (server, port, dir) = await ServeEverywhereAsync();
            await using (server)
            using (dir)
            using (HttpClient http = Client())
            {
                string origin = $"http://{lan}:{port}";
                using HttpResponseMessage wrong = await http.SendAsync(Get(origin + "/sessions?token=guess"));
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                Assert.False(wrong.Headers.Contains("Set-Cookie"));

                using HttpResponseMessage login = await http.SendAsync(Get(origin + "/sessions?token=" + Token));
                Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
                Assert.Equal("/sessions", login.Headers.Location!.OriginalString);
                string cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
                Assert.StartsWith($"{DashboardAccess.CookieName}={Token};", cookie);
                Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

                string sent = cookie.Split(';')[0];
                using HttpResponseMessage sessions = await http.SendAsync(Get(origin + "/sessions", sent));
                Assert.Equal(HttpStatusCode.OK, sessions.StatusCode);
                Assert.Contains("<h1>Sessions</h1>", await sessions.Content.ReadAsStringAsync());
                using HttpResponseMessage live = await http.SendAsync(Get(origin + "/", sent));
                Assert.Contains("live.js", await live.Content.ReadAsStringAsync());
            }
        }

        [SkippableFact]
        public async Task The_login_form_takes_the_token_and_refuses_anything_else()
        {
            IPAddress lan = NetworkAddress();
            var (server, port, dir) = await ServeEverywhereAsync();
            await using (server)
            using (dir)
            using (HttpClient http = Client())
            {
                string origin = $"http://{lan}:{port}";
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Get(origin + DashboardAccess.LoginPath))).StatusCode);
                using HttpResponseMessage bad = await http.PostAsync(origin + DashboardAccess.LoginPath,
                    new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token + "x" }));
                Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
                Assert.Contains("That token is not this dashboard", await bad.Content.ReadAsStringAsync());
                using HttpResponseMessage good = await http.PostAsync(origin + DashboardAccess.LoginPath,
                    new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token }));
                Assert.Equal(HttpStatusCode.SeeOther, good.StatusCode);
                Assert.Equal("/", good.Headers.Location!.OriginalString);
                Assert.StartsWith($"{DashboardAccess.CookieName}={Token};", Assert.Single(good.Headers.GetValues("Set-Cookie")));
            }
        }

        [SkippableFact]
        public async Task On_loopback_no_token_is_needed_but_the_host_check_stays_on_while_another_address_is_served()
        {
            var (server, port, dir) = await ServeEverywhereAsync();
            await using (server)
            using (dir)
            using (HttpClient http = Client())
            {
                string origin = $"http://127.0.0.1:{port}";
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Get(origin + "/sessions"))).StatusCode);
                HttpRequestMessage rebound = Get(origin + "/sessions");
                rebound.Headers.Host = "attacker.example";
                using HttpResponseMessage refused = await http.SendAsync(rebound);
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains("answers to localhost and 127.0.0.1 only, not 'attacker.example'", await refused.Content.ReadAsStringAsync());
            }
        }

        [Fact]
        public async Task Every_answer_carries_the_content_security_policy_and_refuses_framing()
        {
            await using var dash = await TestDashboard.StartAsync();
            using HttpClient http = Client();
            foreach (string path in new[] { "/", "/sessions", "/sessions/99", "/assets/live.js", "/nothing-here", "/app/", "/app/upload.js", "/application" })
            {
                using HttpResponseMessage r = await http.SendAsync(Get(dash.Url + path));
                // The web app may also reach the team server the person names (uploads); nothing else may.
                bool app = path.StartsWith("/app/", StringComparison.Ordinal);
                Assert.Equal(app ? DashboardAccess.AppContentSecurityPolicy : DashboardAccess.ContentSecurityPolicy, Assert.Single(r.Headers.GetValues("Content-Security-Policy")));
                Assert.Contains("frame-ancestors 'none'", DashboardAccess.ContentSecurityPolicy);
                Assert.Contains("frame-ancestors 'none'", DashboardAccess.AppContentSecurityPolicy);
                Assert.Equal("DENY", Assert.Single(r.Headers.GetValues("X-Frame-Options")));
                Assert.Equal("nosniff", Assert.Single(r.Headers.GetValues("X-Content-Type-Options")));
            }
            Assert.Null(dash.Server.LoginToken); // loopback only: no login
        }

        [Fact]
        public void Tokens_are_random_and_long()
        {
            string a = DashboardAccess.NewToken(), b = DashboardAccess.NewToken();
            Assert.NotEqual(a, b);
            Assert.Equal(43, a.Length); // 256 bits in URL-safe base64
            Assert.Matches("^[A-Za-z0-9_-]+$", a);
        }
    }
}
