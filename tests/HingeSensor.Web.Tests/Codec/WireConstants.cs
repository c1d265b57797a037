using System;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Host.Client;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>
    /// Every number the wire protocol names, found by reflection so that a new one cannot be
    /// forgotten: each enum of the protocol assembly and each public constant of its types, the
    /// algorithm enums whose values travel (faults, phases, cues…), the firmware's stop reasons.
    /// The JavaScript module must export each under the same name with the same value, and no more.
    /// </summary>
    internal static class WireConstants
    {
        /// <summary>Enums outside the protocol assembly whose values go on the wire or into session files.</summary>
        public static readonly Type[] CarriedEnums =
        {
            typeof(Fault), typeof(AlignmentEventKind), typeof(CalibrationStep), typeof(CalibrationStatus),
            typeof(RepPhase), typeof(Segment), typeof(CoachingCue), typeof(Exercise), typeof(RepPattern),
            typeof(Lockout), typeof(StopReason),
        };

        public static Type[] ProtocolTypes => typeof(Opcode).Assembly.GetExportedTypes().OrderBy(t => t.Name).ToArray();

        public static Type[] Enums => ProtocolTypes.Where(t => t.IsEnum).Concat(CarriedEnums).ToArray();

        public static JsonObject Build()
        {
            var enums = new JsonObject();
            foreach (Type e in Enums)
            {
                var members = new JsonObject();
                foreach (string name in Enum.GetNames(e)) members[name] = Convert.ToInt64(Enum.Parse(e, name));
                enums[e.Name] = members;
            }
            var constants = new JsonObject();
            foreach (Type t in ProtocolTypes.Where(t => !t.IsEnum))
            {
                var fields = t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToArray();
                if (fields.Length == 0) continue;
                var members = new JsonObject();
                foreach (FieldInfo f in fields)
                    members[f.Name] = f.GetRawConstantValue() is string s ? JsonValue.Create(s) : JsonValue.Create(Convert.ToInt64(f.GetRawConstantValue()));
                constants[t.Name] = members;
            }
            // Limits the JavaScript keeps as plain exports: the control point's longest request and a list page's most entries.
            var scalars = new JsonObject
            {
                ["MaxRequestBytes"] = ControlPoint.MaxRequest,
                ["MaxEntriesPerPage"] = DeviceClient.MaxEntriesPerPage,
            };
            return new JsonObject { ["enums"] = enums, ["constants"] = constants, ["scalars"] = scalars };
        }
    }
}
