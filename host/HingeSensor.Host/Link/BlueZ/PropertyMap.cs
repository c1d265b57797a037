using System;
using System.Collections.Generic;
using Tmds.DBus.Protocol;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>
    /// Typed reads from an a{sv} property dictionary. BlueZ leaves optional properties out (RSSI once a
    /// device is no longer heard, MTU before 5.62, Name for nameless devices), so every read answers
    /// "absent" instead of throwing; a value of an unexpected type counts as absent too.
    /// </summary>
    internal static class PropertyMap
    {
        public static string? String(IReadOnlyDictionary<string, VariantValue> props, string name) =>
            props.TryGetValue(name, out VariantValue v) && v.Type is VariantValueType.String or VariantValueType.ObjectPath
                ? v.Type == VariantValueType.String ? v.GetString() : v.GetObjectPathAsString()
                : null;

        public static bool? Bool(IReadOnlyDictionary<string, VariantValue> props, string name) =>
            props.TryGetValue(name, out VariantValue v) && v.Type == VariantValueType.Bool ? v.GetBool() : null;

        /// <summary>Any integer type: BlueZ declares RSSI int16 and MTU uint16, but being lenient costs nothing.</summary>
        public static int? Int(IReadOnlyDictionary<string, VariantValue> props, string name)
        {
            if (!props.TryGetValue(name, out VariantValue v))
            {
                return null;
            }
            return v.Type switch
            {
                VariantValueType.Byte => v.GetByte(),
                VariantValueType.Int16 => v.GetInt16(),
                VariantValueType.UInt16 => v.GetUInt16(),
                VariantValueType.Int32 => v.GetInt32(),
                VariantValueType.UInt32 => (int)Math.Min(v.GetUInt32(), int.MaxValue),
                _ => null,
            };
        }

        public static string[] Strings(IReadOnlyDictionary<string, VariantValue> props, string name) =>
            props.TryGetValue(name, out VariantValue v) && v.Type == VariantValueType.Array && v.ItemType == VariantValueType.String
                ? v.GetArray<string>()
                : System.Array.Empty<string>();

        public static byte[]? Bytes(IReadOnlyDictionary<string, VariantValue> props, string name) =>
            props.TryGetValue(name, out VariantValue v) && v.Type == VariantValueType.Array && v.ItemType == VariantValueType.Byte
                ? v.GetArray<byte>()
                : null;
    }
}
