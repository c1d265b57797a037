using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace HingeSensor.Server.Tests
{
    /// <summary>HTTP clients as the server's users hold them.</summary>
    public static class Clients
    {
        /// <summary>A script or `hinge sync`: an upload token in the Authorization header.</summary>
        public static HttpClient WithToken(Uri server, string token)
        {
            var http = new HttpClient { BaseAddress = server };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return http;
        }

        public static async Task<JsonElement> JsonAsync(this HttpResponseMessage r) =>
            JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();

        /// <summary>The digests of the sessions a listing shows.</summary>
        public static async Task<List<string>> ListedDigestsAsync(HttpClient http, string query = "")
        {
            using HttpResponseMessage r = await http.GetAsync("api/sessions" + query);
            r.EnsureSuccessStatusCode();
            return (await r.JsonAsync()).GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("digest").GetString()!).ToList();
        }
    }

    /// <summary>
    /// A browser reaching the server through its TLS proxy: the requests carry the proxy's
    /// X-Forwarded-Proto: https (the tests' loopback stands for the proxy's), and the cookies the
    /// server sets are kept and sent back. No redirects followed, so answers can be read.
    /// </summary>
    public sealed class Browser : IDisposable
    {
        private readonly HttpClient _http;
        private readonly Dictionary<string, string> _cookies = new();

        public Browser(Uri server) => _http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server };

        /// <summary>True (the default): the requests come through the TLS proxy, as a deployment's do.</summary>
        public bool ViaTlsProxy { get; set; } = true;

        /// <summary>Every Set-Cookie header received, as sent.</summary>
        public List<string> SetCookies { get; } = new();

        public bool HasCookie(string name) => _cookies.ContainsKey(name);

        /// <summary>The cookies another browser holds, as if this were the same browser reaching another address of the same site.</summary>
        public void TakeCookiesOf(Browser other)
        {
            foreach (var (name, value) in other._cookies) _cookies[name] = value;
        }

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? csrf = null)
        {
            var m = new HttpRequestMessage(method, path) { Content = content };
            if (_cookies.Count > 0) m.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            if (csrf != null) m.Headers.Add("X-CSRF-Token", csrf);
            // What the TLS proxy in front adds (the server trusts it from loopback only).
            if (ViaTlsProxy) m.Headers.Add("X-Forwarded-Proto", "https");
            HttpResponseMessage r = await _http.SendAsync(m);
            if (r.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? set))
                foreach (string c in set)
                {
                    SetCookies.Add(c);
                    string pair = c.Split(';')[0];
                    int eq = pair.IndexOf('=');
                    string name = pair[..eq], value = pair[(eq + 1)..];
                    if (value.Length == 0 || c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) _cookies.Remove(name);
                    else _cookies[name] = value;
                }
            return r;
        }

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

        /// <summary>The antiforgery field of the sign-in form.</summary>
        public async Task<string> LoginFormTokenAsync()
        {
            using HttpResponseMessage r = await GetAsync("login");
            Match m = Regex.Match(await r.Content.ReadAsStringAsync(), "name=\"csrf\" value=\"([^\"]+)\"");
            return m.Success ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery field on the sign-in page");
        }

        public async Task<HttpResponseMessage> SignInAsync(string email, string password, bool withCsrf = true)
        {
            var fields = new Dictionary<string, string> { ["email"] = email, ["password"] = password };
            if (withCsrf) fields["csrf"] = await LoginFormTokenAsync();
            return await SendAsync(HttpMethod.Post, "login", new FormUrlEncodedContent(fields));
        }

        /// <summary>The token to send as X-CSRF-Token with the API.</summary>
        public async Task<string> CsrfAsync()
        {
            using HttpResponseMessage r = await GetAsync("api/csrf");
            return (await r.JsonAsync()).GetProperty("token").GetString()!;
        }

        public void Dispose() => _http.Dispose();
    }
}
