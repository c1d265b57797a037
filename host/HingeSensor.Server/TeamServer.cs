using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Server.Accounts;
using HingeSensor.Server.Schema;
using HingeSensor.Server.Sessions;
using HingeSensor.Server.Uploads;
using HingeSensor.Server.Views;
using HingeSensor.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HingeSensor.Server
{
    /// <summary>
    /// The team server: Kestrel on the given addresses (plain HTTP, a TLS proxy in front), the
    /// database migrated in the background (<see cref="Database"/>: 503 until then), sign-in pages,
    /// the JSON API and the uploads.
    /// </summary>
    public sealed class TeamServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly NpgsqlDataSource _db;
        private readonly LoginThrottle _throttle;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _migration;

        private TeamServer(WebApplication app, NpgsqlDataSource db, LoginThrottle throttle, DatabaseState state, IReadOnlyList<string> urls, TeamServerOptions o)
        {
            _app = app;
            _db = db;
            _throttle = throttle;
            Database = state;
            Urls = urls;
            _migration = Task.Run(() => MigrateWhenReachableAsync(o, _stop.Token));
        }

        public DatabaseState Database { get; }

        /// <summary>The addresses actually bound (port 0 resolved).</summary>
        public IReadOnlyList<string> Urls { get; }

        public static async Task<TeamServer> StartAsync(TeamServerOptions o, CancellationToken ct = default)
        {
            NpgsqlDataSource db;
            try
            {
                var sb = new NpgsqlDataSourceBuilder(o.ConnectionString);
                sb.ConnectionStringBuilder.ApplicationName ??= "hinge server";
                db = sb.Build();
            }
            catch (ArgumentException e)
            {
                throw new TeamServerStartException($"the connection string is not one Npgsql reads: {e.Message}", e);
            }
            var state = new DatabaseState();
            var throttle = new LoginThrottle(o.LoginAttemptsPerAccount, o.LoginAttemptsPerAddress, o.LoginWindow);

            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                Args = Array.Empty<string>(),
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = Environments.Production,
            });
            builder.WebHost.UseUrls(o.Urls.ToArray());
            builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            // The keys are in the database by design (PostgresKeyRepository): no warning that they are not encrypted at rest.
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
            builder.Services.AddSingleton(db);
            builder.Services.AddSingleton(state);
            builder.Services.AddSingleton(new AccountStore(db));
            builder.Services.AddSingleton(new SessionQueries(db));
            builder.Services.AddSingleton(new UploadStore(db, o.Inspector));
            builder.Services.AddSingleton(new CoachQueries(db));
            builder.Services.AddDataProtection().SetApplicationName("hinge server");
            builder.Services.Configure<KeyManagementOptions>(k => k.XmlRepository = new PostgresKeyRepository(db));
            builder.Services.Configure<ForwardedHeadersOptions>(f => f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
            builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
            ServerAuth.Add(builder.Services, o);
            CsrfGuard.Add(builder.Services);
            // Data protection reads its key ring as the host starts; here the table holding it may not
            // exist yet (the migration runs after the server listens). Without that warm-up the ring is
            // read at its first use, behind the gate that holds every request until the database is ready.
            foreach (ServiceDescriptor warmUp in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
                builder.Services.Remove(warmUp);
            WebApplication app = builder.Build();

            // Behind a TLS proxy on this machine (the only proxies trusted by default): its client address and scheme.
            app.UseForwardedHeaders();
            app.Use(UploadCors.InvokeAsync);
            app.Use(SecurityHeaders);
            app.Use(async (ctx, next) =>
            {
                if (ctx.Request.Path == "/health" || state.IsReady) await next();
                else await HealthEndpoint.Unavailable(state.Problem).ExecuteAsync(ctx);
            });
            app.Use(BrowsersOverHttpsOnly);
            app.Use(DatabaseOutage.InvokeAsync);
            app.UseAuthentication();
            app.UseAuthorization();
            app.Use(CsrfGuard.InvokeAsync);
            HealthEndpoint.Map(app, state);
            LoginPages.Map(app, throttle);
            ApiEndpoints.Map(app);
            UploadEndpoints.Map(app);
            CoachPages.Map(app, o.Reports);

            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e)
            {
                await app.DisposeAsync();
                await db.DisposeAsync();
                throttle.Dispose();
                throw new TeamServerStartException(e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
                    ? $"cannot listen on {string.Join(", ", o.Urls)}: the port is in use (choose another with --urls http://127.0.0.1:PORT)"
                    : $"cannot listen on {string.Join(", ", o.Urls)}: {e.Message}", e);
            }
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? o.Urls.ToList();
            return new TeamServer(app, db, throttle, state, bound, o);
        }

        private static Task SecurityHeaders(HttpContext ctx, Func<Task> next)
        {
            IHeaderDictionary h = ctx.Response.Headers;
            h.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
            h.XFrameOptions = "DENY";
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            // What antiforgery sets on the pages it protects, everywhere: nothing here is for a cache.
            h.CacheControl = "no-cache, no-store";
            h.Pragma = "no-cache";
            return next();
        }

        /// <summary>
        /// Sign-in cookies and antiforgery tokens are Secure: a browser reaches the server through the
        /// TLS proxy, which says so with X-Forwarded-Proto. A request without an upload token that
        /// arrives as plain http is told that, rather than getting cookies it would send in clear.
        /// </summary>
        private static async Task BrowsersOverHttpsOnly(HttpContext ctx, Func<Task> next)
        {
            if (ctx.Request.IsHttps || ctx.Request.Headers.Authorization.Count > 0 || ctx.Request.Path == "/health")
            {
                await next();
                return;
            }
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            await ctx.Response.WriteAsJsonAsync(new { error = "signing in needs https: reach this server through its TLS proxy (docs/team-server.md), which tells it so with X-Forwarded-Proto; scripts and `hinge sync` may use an upload token over http" });
        }

        // Connects until the database answers (it may start after the server), migrates, and drops uploads abandoned long ago.
        private async Task MigrateWhenReachableAsync(TeamServerOptions o, CancellationToken ct)
        {
            TimeSpan wait = o.RetryDelay;
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    int version = await SchemaMigrator.MigrateAsync(_db, ct);
                    await using (NpgsqlCommand drop = _db.CreateCommand("DELETE FROM uploads WHERE updated_at < now() - $1"))
                    {
                        drop.Parameters.AddWithValue(o.AbandonedUploadAge);
                        await drop.ExecuteNonQueryAsync(ct);
                    }
                    Database.Migrated(version);
                    await BackfillSummariesAsync(o, ct);
                    return;
                }
                catch (SchemaRefusedException e)
                {
                    Database.Refuse(e);
                    return;
                }
                catch (Exception e) when (!ct.IsCancellationRequested && (e is NpgsqlException || e is SocketException || e is IOException || e is TimeoutException))
                {
                    Database.Waiting($"the database is not reachable yet: {e.Message}");
                }
                try { await Task.Delay(wait, ct); }
                catch (OperationCanceledException) { return; }
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }

        // Sessions stored before a migration that added a summary get it from their file (SummaryBackfill); the server serves meanwhile.
        private async Task BackfillSummariesAsync(TeamServerOptions o, CancellationToken ct)
        {
            try
            {
                (_, int undecodable) = await SummaryBackfill.RunAsync(_db, o.Inspector, ct);
                if (undecodable > 0)
                    _app.Logger.LogWarning("{Count} stored sessions no longer decode: their new summaries stay empty", undecodable);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e)
            {
                // A background step: what stopped it is said, the server serves on, the next start goes on from where it stopped.
                _app.Logger.LogWarning("summaries of older sessions not brought up to date: {Reason}; the next start goes on", e.Message);
            }
        }

        /// <summary>Serves until cancelled, or until the database is refused (then with that reason).</summary>
        public async Task<SchemaRefusedException?> RunAsync(CancellationToken ct)
        {
            var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (ct.Register(() => cancelled.TrySetResult()))
            {
                Task done = await Task.WhenAny(cancelled.Task, Database.Refused);
                return done == Database.Refused ? await Database.Refused : null;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _migration;
            await _app.StopAsync(TimeSpan.FromSeconds(5));
            await _app.DisposeAsync();
            await _db.DisposeAsync();
            _throttle.Dispose();
            _stop.Dispose();
        }

        /// <summary>No console lifetime: the server stops when its command's token is cancelled.</summary>
        private sealed class CommandLineLifetime : IHostLifetime
        {
            public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
    }

    /// <summary>The server could not start; the message is one sentence for the command line.</summary>
    public sealed class TeamServerStartException : Exception
    {
        public TeamServerStartException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
