using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;
using Xunit;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// `hinge server --db … --urls http://127.0.0.1:0` run through the command line in this process,
    /// its address read from the line it prints, ready once GET /health says 200; and its admin
    /// verbs (`hinge server team add`, `person add`, `token new`, `device register`) as a person runs them.
    /// </summary>
    public sealed class TeamServerRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly StringWriter _output = new(), _error = new();
        private readonly Task<int> _exit;
        private readonly string _db;

        private TeamServerRun(string db)
        {
            _db = db;
            TextWriter o = TextWriter.Synchronized(_output), e = TextWriter.Synchronized(_error);
            _exit = Task.Run(() => HingeCli.RunAsync(new[] { "server", "--db", db, "--urls", "http://127.0.0.1:0" }, o, e, _stop.Token));
        }

        public Uri Url { get; private set; } = new("http://127.0.0.1/");

        public static async Task<TeamServerRun> StartAsync(string connectionString)
        {
            var run = new TeamServerRun(connectionString);
            var sw = Stopwatch.StartNew();
            Match m;
            while (!(m = Regex.Match(Text(run._output), @"team server on (http://127\.0\.0\.1:\d+)")).Success)
            {
                Assert.False(run._exit.IsCompleted, "hinge server ended before listening: " + Text(run._error));
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "hinge server did not say where it listens in 60 s: " + Text(run._error));
                await Task.Delay(25);
            }
            run.Url = new Uri(m.Groups[1].Value + "/");
            using var http = new HttpClient { BaseAddress = run.Url };
            while (true)
            {
                using HttpResponseMessage r = await http.GetAsync("health");
                if (r.StatusCode == HttpStatusCode.OK) return run;
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "GET /health did not answer 200 in 60 s: " + await r.Content.ReadAsStringAsync());
                await Task.Delay(25);
            }
        }

        /// <summary>An admin verb on the same database (e.g. "team", "add", "Rowing"): its output; it must succeed.</summary>
        public string Admin(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = HingeCli.RunAsync(new[] { "server" }.Concat(args).Concat(new[] { "--db", _db }).ToArray(), o, e, CancellationToken.None).GetAwaiter().GetResult();
            Assert.True(code == 0, $"hinge server {string.Join(' ', args)} exited {code}: {e}");
            return o.ToString();
        }

        private static string Text(StringWriter w)
        {
            lock (w) return w.ToString();
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _exit;
            _stop.Dispose();
        }
    }
}
