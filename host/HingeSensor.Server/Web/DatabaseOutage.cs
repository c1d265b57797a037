using System;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HingeSensor.Server.Web
{
    /// <summary>
    /// A request the database failed in the middle of (PostgreSQL restarted, crashed, unreachable,
    /// the connection broken): its transaction is gone, so nothing of it was kept, and the answer
    /// says so as a 503 with the reason and Retry-After — a client tries again later, `hinge sync`
    /// stops saying it was interrupted. Without this the request would end as a bare 500, which a
    /// client cannot tell from a fault in the server. A database error that is not an outage
    /// (a bug: a constraint, a query) stays a 500.
    /// </summary>
    public static class DatabaseOutage
    {
        public static async Task InvokeAsync(HttpContext ctx, Func<Task> next)
        {
            try
            {
                await next();
            }
            catch (Exception e) when (IsOutage(e) && !ctx.Response.HasStarted && !ctx.RequestAborted.IsCancellationRequested)
            {
                ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HingeSensor.Server.Database")
                    .LogWarning("{Method} {Path}: the database failed during the request, nothing of it was kept: {Error}", ctx.Request.Method, ctx.Request.Path, e.Message);
                ctx.Response.Clear();
                ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                ctx.Response.Headers.RetryAfter = "5";
                await ctx.Response.WriteAsJsonAsync(new { status = "unavailable", error = e.InnerException is TimeoutException
                    ? $"the server is too busy: no database connection came free in time, nothing of this request was kept ({e.Message}); try again"
                    : $"the database failed during this request, nothing of it was kept ({e.Message}); try again" });
            }
        }

        /// <summary>True for a database that went away or refused for now, as opposed to a query that is wrong.</summary>
        public static bool IsOutage(Exception e) => e switch
        {
            PostgresException p => p.IsTransient || p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("08", StringComparison.Ordinal),
            NpgsqlException n => n.IsTransient || n.InnerException is IOException || n.InnerException is SocketException || n.InnerException is TimeoutException,
            _ => false,
        };
    }
}
