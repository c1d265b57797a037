using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Server.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace HingeSensor.Server.Web
{
    /// <summary>
    /// GET /health: 200 with the schema version when the database answers now and was migrated at
    /// start; 503 with the reason otherwise (still connecting, not reachable any more, refused).
    /// For load balancers and for whoever starts the server and waits for it.
    /// </summary>
    public static class HealthEndpoint
    {
        public static void Map(IEndpointRouteBuilder app, DatabaseState state) => app.MapGet("/health", async (HttpContext ctx, NpgsqlDataSource db) =>
        {
            if (!state.IsReady) return Unavailable(state.Problem);
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
                limit.CancelAfter(TimeSpan.FromSeconds(5));
                int version = await SchemaMigrator.ReadVersionAsync(db, limit.Token);
                return Results.Json(new { status = "ok", schema_version = version }, ApiEndpoints.Json);
            }
            catch (Exception e) when (e is NpgsqlException || e is OperationCanceledException || e is TimeoutException)
            {
                return Unavailable($"the database does not answer: {e.Message}");
            }
        });

        public static IResult Unavailable(string why) =>
            Results.Json(new { status = "unavailable", error = why }, ApiEndpoints.Json, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
