using System.Linq;
using System.Text.Json;
using Xunit;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>Two exports of one session, field by field: names, order, nulls, and numbers as the same doubles.</summary>
    public static class JsonAssert
    {
        /// <summary>Equal but for the database row the session sits in (its number and when it was stored), which each store chooses.</summary>
        public static void SameExceptDatabaseRow(string expected, string actual)
        {
            using JsonDocument e = JsonDocument.Parse(expected), a = JsonDocument.Parse(actual);
            Same(e.RootElement, a.RootElement, "$");
        }

        private static void Same(JsonElement e, JsonElement a, string path)
        {
            if (path is "$.session.id" or "$.session.imported_at") return;
            Assert.True(e.ValueKind == a.ValueKind, $"{path}: {e.ValueKind} {e.GetRawText()} in hinge's export, {a.ValueKind} {a.GetRawText()} in the app's");
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    string[] en = e.EnumerateObject().Select(p => p.Name).ToArray(), an = a.EnumerateObject().Select(p => p.Name).ToArray();
                    Assert.True(en.SequenceEqual(an), $"{path}: fields {string.Join(",", en)} in hinge's export, {string.Join(",", an)} in the app's");
                    foreach (JsonProperty p in e.EnumerateObject()) Same(p.Value, a.GetProperty(p.Name), $"{path}.{p.Name}");
                    break;
                case JsonValueKind.Array:
                    Assert.True(e.GetArrayLength() == a.GetArrayLength(), $"{path}: {e.GetArrayLength()} items in hinge's export, {a.GetArrayLength()} in the app's");
                    for (int i = 0; i < e.GetArrayLength(); i++) Same(e[i], a[i], $"{path}[{i}]");
                    break;
                case JsonValueKind.Number:
                    Assert.True(e.GetDouble() == a.GetDouble(), $"{path}: {e.GetRawText()} in hinge's export, {a.GetRawText()} in the app's");
                    break;
                default:
                    Assert.True(e.GetRawText() == a.GetRawText(), $"{path}: {e.GetRawText()} in hinge's export, {a.GetRawText()} in the app's");
                    break;
            }
        }
    }
}
