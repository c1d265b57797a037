using System.Text.Json;
using HingeSensor.Host.Analysis;
using HingeSensor.Host.IO;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>
    /// The coaching fields of a detected rep (pattern, depth reached, lockout), read by their
    /// result.json names so that this scoring works before and after `hinge analyze` carries them:
    /// absent fields read as null and the figures say "not available".
    /// </summary>
    public static class RepCoachingFields
    {
        private static readonly string[] PatternNames = { "unknown", "hinge", "squat", "stoop" };
        private static readonly string[] LockoutNames = { "unknown", "ok", "incomplete", "over_extension" };

        public static (string? Pattern, bool? DepthReached, string? Lockout) Read(RepRecord rep)
        {
            JsonElement e = JsonSerializer.SerializeToElement(rep, JsonOutput.Options);
            return (Name(e, "pattern", PatternNames), Bool(e, "depth_reached"), Name(e, "lockout", LockoutNames));
        }

        /// <summary>A name as written, or an enum's number mapped to the device's names (the wire numbering).</summary>
        private static string? Name(JsonElement e, string property, string[] names)
        {
            if (!e.TryGetProperty(property, out JsonElement v)) return null;
            if (v.ValueKind == JsonValueKind.String) return v.GetString();
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)) return i >= 0 && i < names.Length ? names[i] : "unknown";
            return null;
        }

        private static bool? Bool(JsonElement e, string property) =>
            e.TryGetProperty(property, out JsonElement v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
    }
}
