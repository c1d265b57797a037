using System.Text.Json.Serialization;

namespace HingeSensor.Server.Uploads
{
    /// <summary>
    /// What the server answers about one upload, as JSON: its <see cref="State"/> ("none",
    /// "partial", "stored", "refused", "conflict", "invalid"), where it stands and, when something
    /// is wrong, a sentence. A client resumes from <see cref="Received"/> whatever the status code.
    /// </summary>
    public sealed record UploadAnswer
    {
        public const string None = "none", Partial = "partial", Stored = "stored", Refused = "refused", Conflict = "conflict", Invalid = "invalid";

        [JsonIgnore] public int Status { get; init; } = 200;
        [JsonPropertyName("state")] public required string State { get; init; }
        [JsonPropertyName("session_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? SessionId { get; init; }
        /// <summary>True when the session was stored before this request (a repeat changes nothing).</summary>
        [JsonPropertyName("already_stored"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool AlreadyStored { get; init; }
        [JsonPropertyName("received"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Received { get; init; }
        [JsonPropertyName("length"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Length { get; init; }
        [JsonPropertyName("holes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string[]? Holes { get; init; }
        [JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Error { get; init; }
    }
}
