using System;
using System.Globalization;
using HingeSensor.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace HingeSensor.Server.Uploads
{
    /// <summary>
    /// GET /api/uploads/{sha256}: where an upload of this content stands (none, partial with the
    /// bytes received, stored). PUT /api/uploads/{sha256} with "Content-Range: bytes FROM-TO/LENGTH"
    /// and those bytes as the body: the next part (docs/team-server.md).
    /// </summary>
    public static class UploadEndpoints
    {
        public static void Map(IEndpointRouteBuilder app)
        {
            RouteGroupBuilder uploads = app.MapGroup("/api/uploads").RequireAuthorization();

            uploads.MapGet("/{digest}", async (HttpContext ctx, UploadStore store, string digest) =>
                ParseDigest(digest) is byte[] d ? Answer(await store.StatusAsync(ServerAuth.PersonId(ctx.User), d, ctx.RequestAborted)) : BadDigest(digest));

            uploads.MapPut("/{digest}", async (HttpContext ctx, UploadStore store, string digest) =>
            {
                if (ParseDigest(digest) is not byte[] d) return BadDigest(digest);
                if (!ContentRangeHeaderValue.TryParse(ctx.Request.Headers.ContentRange.ToString(), out ContentRangeHeaderValue? range)
                    || range.From is not long from || range.To is not long to || range.Length is not long length || range.Unit != "bytes"
                    || length > int.MaxValue)
                    return Invalid("a part needs the header Content-Range: bytes FROM-TO/LENGTH (TO inclusive, LENGTH the whole file's)");
                if (UploadStore.CheckPart((int)Math.Min(from, int.MaxValue), (int)Math.Min(to, int.MaxValue), (int)length, ctx.Request.ContentLength) is string problem)
                    return Invalid(problem);
                byte[]? part = await UploadStore.ReadExactlyAsync(ctx.Request.Body, (int)(to - from + 1), ctx.RequestAborted);
                if (part == null) return Invalid($"the body ended before the {to - from + 1} bytes of bytes {from}-{to}");
                return Answer(await store.ReceiveAsync(ServerAuth.PersonId(ctx.User), ServerAuth.TokenId(ctx.User), d, (int)from, (int)length, part, ctx.RequestAborted));
            });
        }

        private static byte[]? ParseDigest(string hex)
        {
            if (hex.Length != 64) return null;
            try { return Convert.FromHexString(hex); }
            catch (FormatException) { return null; }
        }

        private static IResult BadDigest(string digest) =>
            Invalid($"'{digest}' is not a session digest: the SHA-256 of the whole session file, 64 hex digits");

        private static IResult Invalid(string why) => Answer(new UploadAnswer { Status = StatusCodes.Status400BadRequest, State = UploadAnswer.Invalid, Error = why });

        private static IResult Answer(UploadAnswer a) => Results.Json(a, statusCode: a.Status);
    }
}
