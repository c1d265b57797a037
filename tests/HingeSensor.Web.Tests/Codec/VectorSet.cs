using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using HingeSensor.Protocol;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>
    /// Golden vectors as the JavaScript runner (Codec/golden.mjs) reads them: bytes in hex, and what
    /// the C# side read from them, in the JavaScript codec's field names and wire units. Values
    /// the JSON cannot carry exactly are tagged: {"$big"} a 64-bit integer (BigInt), {"$hex"} bytes
    /// (Uint8Array), {"$f32", "$mul"|"$div"} a float the C# decoder made from a wire integer
    /// (float(int) × mul, single precision: the runner checks the JavaScript integer gives exactly
    /// that float).
    /// </summary>
    internal sealed class VectorSet
    {
        public readonly JsonArray Vectors = new();
        private readonly HashSet<string> _names = new();

        /// <summary>A vector both sides read: the JavaScript decodes <paramref name="bytes"/> to <paramref name="expect"/> and, when <paramref name="reencode"/>, encodes that back to the same bytes.</summary>
        public void Add(string kind, string name, byte[] bytes, JsonNode? expect, bool reencode = true)
        {
            if (!_names.Add(name)) throw new InvalidOperationException($"two golden vectors named {name}");
            Vectors.Add(new JsonObject { ["kind"] = kind, ["name"] = name, ["hex"] = Hex(bytes), ["expect"] = expect, ["reencode"] = reencode });
        }

        /// <summary>Bytes the C# side refused (<paramref name="refusedBy"/> says how): the JavaScript decoder must throw a ProtocolError, of <paramref name="errorKind"/> and naming <paramref name="field"/> when given.</summary>
        public void Malformed(string decoder, string name, byte[] bytes, string refusedBy, string? errorKind = null, int? field = null, JsonObject? extra = null)
        {
            if (!_names.Add(name)) throw new InvalidOperationException($"two golden vectors named {name}");
            var v = new JsonObject { ["kind"] = "malformed", ["decoder"] = decoder, ["name"] = name, ["hex"] = Hex(bytes), ["refusedBy"] = refusedBy };
            if (errorKind != null) v["errorKind"] = errorKind;
            if (field != null) v["field"] = field;
            if (extra != null) foreach (var (k, node) in extra.ToList()) { extra.Remove(k); v[k] = node; }
            Vectors.Add(v);
        }

        public IEnumerable<JsonObject> OfKind(string kind) => Vectors.Select(v => v!.AsObject()).Where(v => (string)v["kind"]! == kind);

        public static string Hex(byte[] b) => Convert.ToHexStringLower(b);

        public static JsonNode Bytes(byte[] b) => new JsonObject { ["$hex"] = Hex(b) };

        public static JsonNode Big(long v) => new JsonObject { ["$big"] = v.ToString() };

        public static JsonNode BigUnsigned(long v) => new JsonObject { ["$big"] = ((ulong)v).ToString() };

        /// <summary>A float the C# decoder computed as float(wire integer) × <paramref name="mul"/>; NaN (unknown) is null.</summary>
        public static JsonNode? F32(float v, float mul) => float.IsNaN(v) ? null : new JsonObject { ["$f32"] = (double)v, ["$mul"] = (double)mul };

        /// <summary>As <see cref="F32(float, float)"/> for float(wire integer) ÷ <paramref name="div"/>.</summary>
        public static JsonNode? F32Div(float v, float div) => new JsonObject { ["$f32"] = (double)v, ["$div"] = (double)div };

        public static JsonArray Items(IEnumerable<JsonNode?> items) => new(items.ToArray());

        public static JsonArray Ints(IEnumerable<int> items) => new(items.Select(i => (JsonNode?)i).ToArray());

        /// <summary>A config in the JavaScript codec's names (wire units, as DeviceConfig holds them).</summary>
        public static JsonObject Config(DeviceConfig c) => new()
        {
            ["flags"] = c.Flags,
            ["backRoundingTenthsDeg"] = c.BackRoundingTenthsDeg,
            ["backRoundingPercent"] = c.BackRoundingPercent,
            ["chinDropTenthsDeg"] = c.ChinDropTenthsDeg,
            ["headUpTenthsDeg"] = c.HeadUpTenthsDeg,
            ["hysteresisTenthsDeg"] = c.HysteresisTenthsDeg,
            ["persistenceMs"] = c.PersistenceMs,
            ["gateOpenTenthsDeg"] = c.GateOpenTenthsDeg,
            ["gateCloseTenthsDeg"] = c.GateCloseTenthsDeg,
            ["reminderTenthsS"] = c.ReminderTenthsS,
            ["cooldownTenthsS"] = c.CooldownTenthsS,
            ["hapticIntensityPercent"] = c.HapticIntensityPercent,
            ["recordRateHz"] = c.RecordRateHz,
            ["liveRateHz"] = c.LiveRateHz,
            ["heightCm"] = c.HeightCm,
            ["exercise"] = c.Exercise,
            ["depthTargetTenthsDeg"] = c.DepthTargetTenthsDeg,
            ["descentTargetTenthsS"] = c.DescentTargetTenthsS,
            ["deviceName"] = c.DeviceName,
        };

        public string ToJson(JsonObject constants) =>
            new JsonObject { ["constants"] = constants.DeepClone(), ["vectors"] = Vectors.DeepClone() }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
