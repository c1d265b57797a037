using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace HingeSensor.DevTools.Benchmarks.ServerLoad
{
    /// <summary>
    /// A coach's browser on the team server, through its TLS proxy (loopback stands for it: the
    /// requests say X-Forwarded-Proto: https): signs in with the form, then pages through the
    /// sessions they may see and opens some, with a pause between clicks, until told to stop.
    /// </summary>
    public sealed class CoachBrowser : IDisposable
    {
        public const string SignIn = "coach sign-in", ListPage = "coach list page", OpenSession = "coach open session";

        private readonly HttpClient _http;
        private readonly Dictionary<string, string> _cookies = new();
        private readonly LatencyLogBox _log;

        public CoachBrowser(Uri server, LatencyLogBox log)
        {
            _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
            _log = log;
        }

        /// <summary>Sessions seen in listings, all pages, all rounds.</summary>
        public long SessionsListed { get; private set; }

        public async Task SignInAsync(string email, string password)
        {
            var watch = Stopwatch.StartNew();
            string form;
            using (HttpResponseMessage page = await SendAsync(HttpMethod.Get, "login")) form = await page.Content.ReadAsStringAsync();
            Match csrf = Regex.Match(form, "name=\"csrf\" value=\"([^\"]+)\"");
            if (!csrf.Success) throw new InvalidOperationException("no antiforgery field on the sign-in page");
            var fields = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["password"] = password, ["csrf"] = WebUtility.HtmlDecode(csrf.Groups[1].Value) });
            using HttpResponseMessage r = await SendAsync(HttpMethod.Post, "login", fields);
            if (r.StatusCode != HttpStatusCode.Redirect && r.StatusCode != HttpStatusCode.Found || !_cookies.ContainsKey("hinge_signin"))
                throw new InvalidOperationException($"signing in {email} answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
            _log.Current.Record(SignIn, watch.Elapsed.TotalMilliseconds);
        }

        /// <summary>Browses until <paramref name="ct"/>: every page of the listing (50 a page), then the first few sessions of it, a pause between requests.</summary>
        public async Task BrowseAsync(TimeSpan think, int open, CancellationToken ct)
        {
            var rng = new Random(_http.GetHashCode());
            while (!ct.IsCancellationRequested)
            {
                var ids = new List<long>();
                string? cursor = null;
                do
                {
                    JsonElement? page = await GetJsonAsync(ListPage, "api/sessions?limit=50" + (cursor == null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
                    if (page is not JsonElement p) break;
                    foreach (JsonElement s in p.GetProperty("sessions").EnumerateArray()) ids.Add(s.GetProperty("id").GetInt64());
                    SessionsListed += p.GetProperty("sessions").GetArrayLength();
                    cursor = p.TryGetProperty("next", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                    if (!await PauseAsync(think, ct)) return;
                }
                while (cursor != null);
                for (int i = 0; i < open && ids.Count > 0; i++)
                {
                    await GetJsonAsync(OpenSession, $"api/sessions/{ids[rng.Next(ids.Count)]}");
                    if (!await PauseAsync(think, ct)) return;
                }
                if (ids.Count == 0 && !await PauseAsync(think, ct)) return;
            }
        }

        private static async Task<bool> PauseAsync(TimeSpan think, CancellationToken ct)
        {
            try { await Task.Delay(think, ct); return true; }
            catch (OperationCanceledException) { return false; }
        }

        private async Task<JsonElement?> GetJsonAsync(string kind, string path)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                using HttpResponseMessage r = await SendAsync(HttpMethod.Get, path);
                string body = await r.Content.ReadAsStringAsync();
                if (!r.IsSuccessStatusCode)
                {
                    _log.Current.Error(kind, $"{(int)r.StatusCode} {body}");
                    return null;
                }
                JsonElement json = JsonDocument.Parse(body).RootElement.Clone();
                _log.Current.Record(kind, watch.Elapsed.TotalMilliseconds);
                return json;
            }
            catch (HttpRequestException e)
            {
                _log.Current.Error(kind, e.Message);
                return null;
            }
        }

        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
        {
            var m = new HttpRequestMessage(method, path) { Content = content };
            if (_cookies.Count > 0) m.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            m.Headers.Add("X-Forwarded-Proto", "https");
            HttpResponseMessage r = await _http.SendAsync(m);
            if (r.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? set))
                foreach (string c in set)
                {
                    string pair = c.Split(';')[0];
                    int eq = pair.IndexOf('=');
                    if (eq > 0 && eq < pair.Length - 1) _cookies[pair[..eq]] = pair[(eq + 1)..];
                }
            return r;
        }

        public void Dispose() => _http.Dispose();
    }

    /// <summary>The log of the step under way, which the browsers and wearers record into.</summary>
    public sealed class LatencyLogBox
    {
        private LatencyLog _current = new();

        public LatencyLog Current => Volatile.Read(ref _current);

        /// <summary>Starts a new step's log; returns the one that ends.</summary>
        public LatencyLog Next() => Interlocked.Exchange(ref _current, new LatencyLog());
    }
}
