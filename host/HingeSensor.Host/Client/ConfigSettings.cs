using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HingeSensor.Protocol;

namespace HingeSensor.Host.Client
{
    /// <summary>One of the device's settings as people name and write it (chin_drop_deg=18), tied to its field on the wire.</summary>
    public sealed class ConfigSetting
    {
        internal ConfigSetting(string key, ConfigField field, Func<DeviceConfig, string> get, Action<DeviceConfig, string> set, Func<DeviceConfig, string> allowed)
        {
            Key = key;
            Field = field;
            Get = get;
            Set = set;
            Allowed = allowed;
        }

        public string Key { get; }
        public ConfigField Field { get; }

        /// <summary>The value in the units people write.</summary>
        public Func<DeviceConfig, string> Get { get; }

        /// <summary>Parses and sets; <see cref="FormatException"/> or <see cref="OverflowException"/> for text that is not a value of this kind.</summary>
        public Action<DeviceConfig, string> Set { get; }

        /// <summary>What the device accepts, in words ("5–90°"); some limits depend on other settings, hence the config.</summary>
        public Func<DeviceConfig, string> Allowed { get; }
    }

    /// <summary>
    /// The device's settings by the names people type, with the limits in words taken from
    /// <see cref="DeviceConfig"/>'s own constants (the device enforces the same ones), and the
    /// sentence for a value out of range — whether the host catches it before sending or the
    /// device refuses it.
    /// </summary>
    public static class ConfigSettings
    {
        public static readonly IReadOnlyList<ConfigSetting> All = new[]
        {
            Tenths("back_rounding_deg", ConfigField.BackRoundingDeg, c => c.BackRoundingTenthsDeg, (c, v) => c.BackRoundingTenthsDeg = v, DeviceConfig.MinThresholdTenthsDeg, DeviceConfig.MaxThresholdTenthsDeg, "°"),
            Whole("back_rounding_percent", ConfigField.BackRoundingPercent, c => c.BackRoundingPercent, (c, v) => c.BackRoundingPercent = v, DeviceConfig.MinBackRoundingPercent, DeviceConfig.MaxBackRoundingPercent, " % of the range"),
            Flag("use_range_percent", DeviceConfig.FlagRangePercent),
            Tenths("chin_drop_deg", ConfigField.ChinDropDeg, c => c.ChinDropTenthsDeg, (c, v) => c.ChinDropTenthsDeg = v, DeviceConfig.MinThresholdTenthsDeg, DeviceConfig.MaxThresholdTenthsDeg, "°"),
            Tenths("head_up_deg", ConfigField.HeadUpDeg, c => c.HeadUpTenthsDeg, (c, v) => c.HeadUpTenthsDeg = v, DeviceConfig.MinThresholdTenthsDeg, DeviceConfig.MaxThresholdTenthsDeg, "°"),
            Tenths("hysteresis_deg", ConfigField.HysteresisDeg, c => c.HysteresisTenthsDeg, (c, v) => c.HysteresisTenthsDeg = v, 0, DeviceConfig.MaxHysteresisTenthsDeg, "°"),
            Whole("persistence_ms", ConfigField.PersistenceMs, c => c.PersistenceMs, (c, v) => c.PersistenceMs = v, 0, DeviceConfig.MaxPersistenceMs, " ms"),
            Tenths("gate_open_deg", ConfigField.GateOpenDeg, c => c.GateOpenTenthsDeg, (c, v) => c.GateOpenTenthsDeg = v, 0, DeviceConfig.MaxGateOpenTenthsDeg, "°"),
            new ConfigSetting("gate_close_deg", ConfigField.GateCloseDeg, c => TenthsText(c.GateCloseTenthsDeg), (c, v) => c.GateCloseTenthsDeg = FromTenths(v),
                c => $"0° up to below gate_open_deg ({TenthsText(c.GateOpenTenthsDeg)}°)"),
            Flag("posture_mode", DeviceConfig.FlagPostureMode),
            Tenths("reminder_s", ConfigField.ReminderS, c => c.ReminderTenthsS, (c, v) => c.ReminderTenthsS = v, 0, DeviceConfig.MaxIntervalTenthsS, " s"),
            Tenths("cooldown_s", ConfigField.CooldownS, c => c.CooldownTenthsS, (c, v) => c.CooldownTenthsS = v, 0, DeviceConfig.MaxIntervalTenthsS, " s"),
            Flag("quiet", DeviceConfig.FlagQuiet),
            Whole("haptic_intensity_percent", ConfigField.HapticIntensity, c => c.HapticIntensityPercent, (c, v) => c.HapticIntensityPercent = v, 0, DeviceConfig.MaxHapticIntensityPercent, " %"),
            Rate("record_rate_hz", ConfigField.RecordRateHz, c => c.RecordRateHz, (c, v) => c.RecordRateHz = v),
            Rate("live_rate_hz", ConfigField.LiveRateHz, c => c.LiveRateHz, (c, v) => c.LiveRateHz = v),
            Whole("height_cm", ConfigField.HeightCm, c => c.HeightCm, (c, v) => c.HeightCm = v, DeviceConfig.MinHeightCm, DeviceConfig.MaxHeightCm, " cm"),
            new ConfigSetting("exercise", ConfigField.Exercise, c => ExerciseName(c.Exercise), (c, v) => c.Exercise = ExerciseNumber(v),
                _ => "hinge (deadlifts, RDLs, good mornings, swings: a squat earns \"hips back\"), squat, or any (everyday lifting: no pattern cue)"),
            Flag("depth_cue", DeviceConfig.FlagDepthCue),
            Flag("own_depth_target", DeviceConfig.FlagOwnDepth),
            Tenths("depth_target_deg", ConfigField.DepthTargetDeg, c => c.DepthTargetTenthsDeg, (c, v) => c.DepthTargetTenthsDeg = v, DeviceConfig.MinDepthTargetTenthsDeg, DeviceConfig.MaxDepthTargetTenthsDeg, "° of torso lean"),
            Tenths("descent_target_s", ConfigField.DescentTargetS, c => c.DescentTargetTenthsS, (c, v) => c.DescentTargetTenthsS = v, 0, DeviceConfig.MaxDescentTargetTenthsS, " s (0: no tempo target)"),
            new ConfigSetting("device_name", ConfigField.DeviceName, c => c.DeviceName, (c, v) => c.DeviceName = v,
                _ => $"1 to {DeviceConfig.MaxNameBytes} printable ASCII characters (letters, digits, spaces, punctuation)"),
        };

        public static ConfigSetting? Find(string key) => All.FirstOrDefault(s => s.Key == key);

        /// <summary>The setting a field carries; null for the flags, which several switches share.</summary>
        public static ConfigSetting? Of(ConfigField field) => field == ConfigField.Flags ? null : All.FirstOrDefault(s => s.Field == field);

        /// <summary>
        /// Every setting of <paramref name="proposed"/> the device would refuse, each as a sentence
        /// naming it, the value given and what is allowed; empty when it would take them all.
        /// <paramref name="current"/> (the device's settings now, valid) stands in for each refused
        /// value in turn, so that one bad value does not hide the next.
        /// </summary>
        public static IReadOnlyList<string> Check(DeviceConfig proposed, DeviceConfig current)
        {
            var problems = new List<string>();
            var c = new DeviceConfig();
            c.CopyFrom(proposed);
            for (ConfigField bad = c.Validate(); bad != ConfigField.None; bad = c.Validate())
            {
                problems.Add(OutOfRange(bad, c));
                ConfigSetting? s = Of(bad);
                if (s == null) break;
                s.Set(c, s.Get(current));
                if (problems.Count > All.Count) break; // the device's own settings do not validate: said once is enough
            }
            return problems;
        }

        /// <summary>"chin_drop_deg=500 is not allowed: 5–90°", or for fields people do not set, what the record got wrong.</summary>
        public static string OutOfRange(ConfigField field, DeviceConfig c)
        {
            ConfigSetting? s = Of(field);
            if (s != null)
            {
                string value = s.Get(c);
                if (field == ConfigField.DeviceName)
                    return $"device_name '{value}' ({value.Length} characters) is not allowed: {s.Allowed(c)}";
                return $"{s.Key}={value} is not allowed: {s.Allowed(c)}";
            }
            return field switch
            {
                ConfigField.Length => "the settings record has the wrong length for this device (its firmware and this hinge disagree on the format)",
                ConfigField.Version => "the settings record is of a version this device does not read (update its firmware, or hinge)",
                ConfigField.Flags => "the settings carry a switch this device does not know (update its firmware)",
                _ => "the settings record was refused (field " + (int)field + ")",
            };
        }

        private static ConfigSetting Tenths(string key, ConfigField field, Func<DeviceConfig, int> get, Action<DeviceConfig, int> set, int min, int max, string unit) =>
            new(key, field, c => TenthsText(get(c)), (c, v) => set(c, FromTenths(v)), _ => $"{TenthsText(min)}{unit} to {TenthsText(max)}{unit}");

        private static ConfigSetting Whole(string key, ConfigField field, Func<DeviceConfig, int> get, Action<DeviceConfig, int> set, int min, int max, string unit) =>
            new(key, field, c => get(c).ToString(CultureInfo.InvariantCulture), (c, v) => set(c, int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture)),
                _ => $"{min}{unit} to {max}{unit} (whole numbers)");

        private static ConfigSetting Rate(string key, ConfigField field, Func<DeviceConfig, int> get, Action<DeviceConfig, int> set) =>
            new(key, field, c => get(c).ToString(CultureInfo.InvariantCulture), (c, v) => set(c, int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture)),
                _ => string.Join(", ", Enumerable.Range(1, DeviceConfig.ReportRateHz).Where(hz => DeviceConfig.ReportRateHz % hz == 0))
                     + $" Hz (rates that divide the {DeviceConfig.ReportRateHz} Hz at which the device completes its angles for reporting)");

        // Switches share the flags field: a value other than true/false is caught when it is parsed.
        private static ConfigSetting Flag(string key, int flag) =>
            new(key, ConfigField.Flags, c => (c.Flags & flag) != 0 ? "true" : "false", (c, v) => c.Flags = bool.Parse(v) ? c.Flags | flag : c.Flags & ~flag, _ => "true or false");

        private static readonly string[] Exercises = { "hinge", "squat", "any" };

        // The number on the wire for a name; a name not in the list is not a value of this kind
        // (FormatException), which `hinge config set` answers with what is allowed.
        private static int ExerciseNumber(string v)
        {
            int i = Array.IndexOf(Exercises, v.Trim().ToLowerInvariant());
            if (i >= 0) return i;
            throw new FormatException();
        }

        private static string ExerciseName(int v) => v >= 0 && v < Exercises.Length ? Exercises[v] : v.ToString(CultureInfo.InvariantCulture);

        private static string TenthsText(int v) => (v / 10.0).ToString("0.#", CultureInfo.InvariantCulture);

        private static int FromTenths(string v)
        {
            double d = double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(d) || Math.Abs(d) > 100_000) throw new OverflowException();
            return (int)Math.Round(d * 10);
        }
    }
}
