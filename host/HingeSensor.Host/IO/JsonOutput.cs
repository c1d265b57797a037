using System.Text.Json;
using System.Text.Json.Serialization;

namespace HingeSensor.Host.IO
{
    /// <summary>
    /// How hinge writes its JSON documents (`analyze`'s result.json, `simulate`'s labels, `demo --json`):
    /// snake_case names, indented, NaN written as "NaN" rather than refused.
    /// </summary>
    public static class JsonOutput
    {
        public static readonly JsonSerializerOptions Options = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
    }
}
