using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace HingeSensor.Host.Web
{
    /// <summary>The addresses `hinge serve` listens on: http only, loopback unless another address is asked for by name.</summary>
    public static class DashboardUrls
    {
        public const string Default = "http://127.0.0.1:5180";

        /// <summary>Splits (Kestrel's ';' lists too), checks and normalises the --urls values; throws <see cref="DashboardStartException"/> naming the bad one.</summary>
        public static IReadOnlyList<string> Parse(IEnumerable<string> values)
        {
            var urls = values.SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            if (urls.Count == 0) throw new DashboardStartException("--urls: no address given");
            foreach (string url in urls)
            {
                // Kestrel's "any address" spellings are not host names to System.Uri.
                string checkable = url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0");
                if (!Uri.TryCreate(checkable, UriKind.Absolute, out Uri? u) || u.Port < 0 || !url.Contains(':', StringComparison.Ordinal))
                    throw new DashboardStartException($"--urls: '{url}' is not an address like http://127.0.0.1:5180");
                if (u.Scheme == Uri.UriSchemeHttps)
                    throw new DashboardStartException($"--urls: '{url}': https is not served (no certificate handling); use http on 127.0.0.1, or a TLS proxy in front");
                if (u.Scheme != Uri.UriSchemeHttp)
                    throw new DashboardStartException($"--urls: '{url}' is not an http:// address");
                if (u.AbsolutePath != "/" || u.Query.Length > 0)
                    throw new DashboardStartException($"--urls: '{url}': give only scheme, host and port (the dashboard lives at the root)");
                if (!ExplicitPort(url))
                    throw new DashboardStartException($"--urls: '{url}' has no port (e.g. http://127.0.0.1:5180; port 0 picks a free one)");
            }
            return urls;
        }

        private static bool ExplicitPort(string url)
        {
            string rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
            int colon = rest.LastIndexOf(':');
            return colon >= 0 && colon > rest.LastIndexOf(']') && int.TryParse(rest[(colon + 1)..], out _);
        }

        /// <summary>True when the address is reachable only from this machine.</summary>
        public static bool IsLoopback(string url)
        {
            string checkable = url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0");
            if (!Uri.TryCreate(checkable, UriKind.Absolute, out Uri? u)) return false;
            if (u.IsLoopback) return true;
            return IPAddress.TryParse(u.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip);
        }
    }

    /// <summary>The dashboard cannot start: a bad address, a port in use. The message says which and what to do.</summary>
    public sealed class DashboardStartException : Exception
    {
        public DashboardStartException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
