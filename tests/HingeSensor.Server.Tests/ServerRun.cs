using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>A writer several threads may write to while a test reads what it holds.</summary>
    public sealed class CapturedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) { lock (_text) _text.Append(value); }

        public override void Write(string? value) { lock (_text) _text.Append(value); }

        public string Text { get { lock (_text) return _text.ToString(); } }
    }

    /// <summary>
    /// `hinge server --db … --urls http://127.0.0.1:0` run through the command line in this process
    /// (the same parsing and start-up as the installed command), its address read from the line it
    /// prints; stopped as Ctrl+C stops it.
    /// </summary>
    public sealed class ServerRun : IAsyncDisposable
    {
        private CancellationTokenSource? _stopToken;

        private ServerRun(Task<int> run, CapturedWriter output, CapturedWriter error)
        {
            Exit = run;
            Output = output;
            Error = error;
        }

        public Task<int> Exit { get; }
        public CapturedWriter Output { get; }
        public CapturedWriter Error { get; }
        public Uri Url { get; private set; } = new("http://127.0.0.1/");

        public static async Task<ServerRun> StartAsync(string connectionString, bool waitForHealth = true, params string[] more)
        {
            var output = new CapturedWriter();
            var error = new CapturedWriter();
            string[] args = new[] { "server", "--db", connectionString, "--urls", "http://127.0.0.1:0" }.Concat(more).ToArray();
            var cts = new CancellationTokenSource();
            var run = new ServerRun(Task.Run(() => HingeCli.RunAsync(args, output, error, cts.Token)), output, error);
            run._stopToken = cts;
            Match m = await WaitFor(() => Regex.Match(output.Text, @"team server on (http://127\.0\.0\.1:\d+)"), m => m.Success || run.Exit.IsCompleted, "the server's address", error);
            Assert.True(m.Success, $"hinge server exited {(run.Exit.IsCompleted ? run.Exit.Result : -1)} before listening: {error.Text}");
            run.Url = new Uri(m.Groups[1].Value + "/");
            if (waitForHealth) await run.WaitHealthyAsync();
            return run;
        }

        /// <summary>Waits until GET /health says 200; returns its body.</summary>
        public async Task<JsonElement> WaitHealthyAsync()
        {
            using var http = new HttpClient { BaseAddress = Url };
            return await WaitForAsync<JsonElement?>(async () =>
            {
                using HttpResponseMessage r = await http.GetAsync("health");
                return r.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone() : (JsonElement?)null;
            }, v => v != null || Exit.IsCompleted, "GET /health to answer 200", Error) ?? throw new InvalidOperationException($"hinge server ended: {Error.Text}");
        }

        /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> (bounded: a failure says what was awaited).</summary>
        public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, CapturedWriter? log = null)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                T v = await read();
                if (done(v)) return v;
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"waited 60 s for {what}; {log?.Text}");
                await Task.Delay(25);
            }
        }

        public static Task<T> WaitFor<T>(Func<T> read, Func<T, bool> done, string what, CapturedWriter? log = null) =>
            WaitForAsync(() => Task.FromResult(read()), done, what, log);

        public async ValueTask DisposeAsync()
        {
            CancellationTokenSource? stop = Interlocked.Exchange(ref _stopToken, null);
            if (stop == null) return;
            stop.Cancel();
            await Exit;
            stop.Dispose();
        }
    }
}
