using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Server.Uploads;

namespace HingeSensor.Server.Sync
{
    /// <summary>How one session's upload ended.</summary>
    public sealed record UploadOutcome
    {
        public const string Stored = "stored", AlreadyStored = "already stored", Refused = "refused", Conflict = "conflict";

        public required string Result { get; init; }
        public long? SessionId { get; init; }
        /// <summary>The byte the upload started from: more than 0 when an earlier, interrupted upload had sent the bytes before it.</summary>
        public int ResumedFrom { get; init; }
        /// <summary>Bytes sent by this upload.</summary>
        public int Sent { get; init; }
        public string? Error { get; init; }
        public string[]? Holes { get; init; }
    }

    /// <summary>The server refused the request as a whole (token, address): nothing else will get through either.</summary>
    public sealed class UploadRefusedException : Exception
    {
        public UploadRefusedException(string message) : base(message) { }
    }

    /// <summary>
    /// The client side of the uploads (docs/team-server.md): asks the server where the upload of a
    /// file stands, then sends the rest in parts, each answered with what the server now holds;
    /// a repeat of stored content costs one request. An upload cut short anywhere resumes from
    /// what the server kept, in this run or the next.
    /// </summary>
    public sealed class UploadClient : IDisposable
    {
        public const int DefaultPartBytes = 256 * 1024;

        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

        private readonly HttpClient _http;
        private readonly int _partBytes;

        public UploadClient(Uri server, string token, HttpMessageHandler? handler = null, int partBytes = DefaultPartBytes)
        {
            if (partBytes < 1 || partBytes > UploadStore.MaxPartBytes) throw new ArgumentOutOfRangeException(nameof(partBytes), $"a part has 1 to {UploadStore.MaxPartBytes} bytes");
            _http = handler == null ? new HttpClient() : new HttpClient(handler);
            _http.BaseAddress = server;
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            _http.Timeout = TimeSpan.FromMinutes(2);
            _partBytes = partBytes;
        }

        public static string Digest(byte[] file) => Convert.ToHexStringLower(SHA256.HashData(file));

        /// <summary>Where the server stands on this content.</summary>
        public async Task<UploadAnswer> StatusAsync(string digest, CancellationToken ct = default)
        {
            using HttpResponseMessage r = await _http.GetAsync($"api/uploads/{digest}", ct);
            return await ReadAsync(r, ct);
        }

        public async Task<UploadOutcome> UploadAsync(byte[] file, CancellationToken ct = default)
        {
            string digest = Digest(file);
            UploadAnswer a = await StatusAsync(digest, ct);
            if (Final(a, 0, 0) is UploadOutcome known) return known with { Result = a.State == UploadAnswer.Stored ? UploadOutcome.AlreadyStored : known.Result };
            int from = a.Length == file.Length ? a.Received ?? 0 : 0, resumedFrom = from, sent = 0;
            while (true)
            {
                int n = Math.Min(_partBytes, file.Length - from);
                using var content = new ByteArrayContent(file, from, n);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Headers.ContentRange = new ContentRangeHeaderValue(from, from + n - 1, file.Length);
                using HttpResponseMessage r = await _http.PutAsync($"api/uploads/{digest}", content, ct);
                a = await ReadAsync(r, ct);
                sent += n;
                if (Final(a, resumedFrom, sent) is UploadOutcome done) return done;
                int next = a.Received ?? throw new InvalidOperationException($"the server's answer says neither stored nor how much it has: {a.Error}");
                // The server says where to go on; it must be further than before, or this would never end.
                if (next <= from && !(next < from && r.StatusCode == HttpStatusCode.Conflict))
                    throw new InvalidOperationException($"the server keeps asking for byte {next} of {digest}: {a.Error}");
                from = next;
            }
        }

        private static UploadOutcome? Final(UploadAnswer a, int resumedFrom, int sent) => a.State switch
        {
            UploadAnswer.Stored => new UploadOutcome { Result = UploadOutcome.Stored, SessionId = a.SessionId, ResumedFrom = resumedFrom, Sent = sent, Holes = a.Holes },
            UploadAnswer.Refused or UploadAnswer.Invalid => new UploadOutcome { Result = UploadOutcome.Refused, ResumedFrom = resumedFrom, Sent = sent, Error = a.Error },
            UploadAnswer.Conflict => new UploadOutcome { Result = UploadOutcome.Conflict, ResumedFrom = resumedFrom, Sent = sent, Error = a.Error },
            _ => null,
        };

        private static async Task<UploadAnswer> ReadAsync(HttpResponseMessage r, CancellationToken ct)
        {
            if (r.StatusCode == HttpStatusCode.Unauthorized)
                throw new UploadRefusedException($"the server refused the upload token ({await ErrorAsync(r, ct)}): ask for a new one");
            // For now, not for good (the database restarting, the server behind its proxy down or starting): the run is interrupted, the next one goes on.
            if (r.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
                throw new HttpRequestException($"the server cannot take uploads now: {await ErrorAsync(r, ct)}", null, r.StatusCode);
            if (r.Content.Headers.ContentType?.MediaType != "application/json")
                throw new UploadRefusedException($"{r.RequestMessage?.RequestUri} answered {(int)r.StatusCode} {r.ReasonPhrase}, not as a HingeSensor team server does");
            return await r.Content.ReadFromJsonAsync<UploadAnswer>(Json, ct) ?? throw new UploadRefusedException("the server answered nothing");
        }

        private static async Task<string> ErrorAsync(HttpResponseMessage r, CancellationToken ct)
        {
            try { return (await r.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("error").GetString() ?? r.ReasonPhrase ?? ""; }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is NotSupportedException || e is System.Collections.Generic.KeyNotFoundException) { return $"{(int)r.StatusCode} {r.ReasonPhrase}"; }
        }

        public void Dispose() => _http.Dispose();
    }
}
