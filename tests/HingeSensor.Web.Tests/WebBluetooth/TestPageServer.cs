using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HingeSensor.Web.Tests.WebBluetooth
{
    /// <summary>
    /// Serves the test pages embedded under WebBluetooth/pages/ on 127.0.0.1 (a free port): a
    /// secure context, as Web Bluetooth requires, like `hinge serve` on localhost.
    /// </summary>
    public sealed class TestPageServer : IAsyncDisposable
    {
        private const string Prefix = "WebBluetooth/pages/";
        private readonly WebApplication _app;

        private TestPageServer(WebApplication app, string url)
        {
            _app = app;
            Url = url.TrimEnd('/');
        }

        public string Url { get; }

        public static async Task<TestPageServer> StartAsync()
        {
            var pages = new Dictionary<string, (byte[] Bytes, string Type)>(StringComparer.Ordinal);
            var assembly = typeof(TestPageServer).Assembly;
            foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
            {
                using Stream s = assembly.GetManifestResourceStream(name)!;
                using var m = new MemoryStream();
                s.CopyTo(m);
                string file = name[Prefix.Length..];
                pages[file] = (m.ToArray(), file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8");
            }
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            WebApplication app = builder.Build();
            app.MapGet("/{file}", (string file) => pages.TryGetValue(file, out var p) ? Results.Bytes(p.Bytes, p.Type) : Results.NotFound());
            await app.StartAsync();
            string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new TestPageServer(app, url);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
