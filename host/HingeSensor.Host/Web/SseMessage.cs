using System;
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace HingeSensor.Host.Web
{
    /// <summary>
    /// Server-Sent Events framing: "event: NAME", one "data:" line of JSON, a blank line. Messages
    /// are built once and the same string goes to every page.
    /// </summary>
    public static class SseMessage
    {
        public static string Build(string eventName, Action<Utf8JsonWriter> writeObject)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                writeObject(w);
                w.WriteEndObject();
            }
            // Utf8JsonWriter escapes control characters, so the JSON is one line, as a data: field must be.
            return $"event: {eventName}\ndata: {Encoding.UTF8.GetString(buffer.WrittenSpan)}\n\n";
        }

        /// <summary>An angle or distance to one decimal: what the page shows, and a third of the bytes of a full float.</summary>
        public static void Number(Utf8JsonWriter w, string name, float value)
        {
            if (float.IsFinite(value)) w.WriteNumber(name, MathF.Round(value, 1));
            else w.WriteNull(name);
        }
    }
}
