using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link;
using HingeSensor.Host.Live;
using HingeSensor.Host.Web;
using HingeSensor.Protocol;
using HingeSensor.TestSupport;
using HingeSensor.Web.Tests.Codec;
using Xunit;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// What the app says, against what `hinge` says, for the same inputs (App/words-parity.mjs under
    /// node): a setting out of the device's range (ConfigSettings.OutOfRange), values that are not
    /// of their kind and several refusals at once (as `hinge config set` parses and checks them), the
    /// banner's fault (LiveHub), calibration outcomes, coaching cues, and the device's refusals
    /// (DeviceRefusal) wherever the host's sentence does not name a `hinge` command, the passkey as
    /// typed (PasskeyInput) and the pairing words (PairingAdvice).
    /// </summary>
    public class WordsParityTests
    {
        private static string AppFolder => RepositoryPaths.InRepo("host", "HingeSensor.Host", "Web", "wwwroot", "app");
        private static string Runner => RepositoryPaths.InRepo("tests", "HingeSensor.Web.Tests", "App", "words-parity.mjs");

        // A config in the app's shape (protocol.js's names, wire units).
        private static JsonObject Js(DeviceConfig c) => new()
        {
            ["flags"] = c.Flags, ["backRoundingTenthsDeg"] = c.BackRoundingTenthsDeg, ["backRoundingPercent"] = c.BackRoundingPercent,
            ["chinDropTenthsDeg"] = c.ChinDropTenthsDeg, ["headUpTenthsDeg"] = c.HeadUpTenthsDeg, ["hysteresisTenthsDeg"] = c.HysteresisTenthsDeg,
            ["persistenceMs"] = c.PersistenceMs, ["gateOpenTenthsDeg"] = c.GateOpenTenthsDeg, ["gateCloseTenthsDeg"] = c.GateCloseTenthsDeg,
            ["reminderTenthsS"] = c.ReminderTenthsS, ["cooldownTenthsS"] = c.CooldownTenthsS, ["hapticIntensityPercent"] = c.HapticIntensityPercent,
            ["recordRateHz"] = c.RecordRateHz, ["liveRateHz"] = c.LiveRateHz, ["heightCm"] = c.HeightCm, ["exercise"] = c.Exercise,
            ["depthTargetTenthsDeg"] = c.DepthTargetTenthsDeg, ["descentTargetTenthsS"] = c.DescentTargetTenthsS, ["deviceName"] = c.DeviceName,
        };

        private static DeviceConfig With(Action<DeviceConfig> change)
        {
            var c = new DeviceConfig();
            change(c);
            return c;
        }

        // Out of range, field by field: over, under, and values the words must write exactly (negative tenths, long names).
        private static readonly (ConfigField Field, Action<DeviceConfig> Change)[] OutOfRangeValues =
        {
            (ConfigField.BackRoundingDeg, c => c.BackRoundingTenthsDeg = 907), (ConfigField.BackRoundingDeg, c => c.BackRoundingTenthsDeg = -5),
            (ConfigField.BackRoundingPercent, c => c.BackRoundingPercent = 101), (ConfigField.ChinDropDeg, c => c.ChinDropTenthsDeg = 5000),
            (ConfigField.HeadUpDeg, c => c.HeadUpTenthsDeg = 49), (ConfigField.HysteresisDeg, c => c.HysteresisTenthsDeg = 201),
            (ConfigField.PersistenceMs, c => c.PersistenceMs = 5001), (ConfigField.GateOpenDeg, c => c.GateOpenTenthsDeg = 1205),
            (ConfigField.GateCloseDeg, c => c.GateCloseTenthsDeg = 305), (ConfigField.ReminderS, c => c.ReminderTenthsS = 601),
            (ConfigField.CooldownS, c => c.CooldownTenthsS = -1), (ConfigField.HapticIntensity, c => c.HapticIntensityPercent = 120),
            (ConfigField.RecordRateHz, c => c.RecordRateHz = 7), (ConfigField.LiveRateHz, c => c.LiveRateHz = 50),
            (ConfigField.HeightCm, c => c.HeightCm = 356), (ConfigField.Exercise, c => c.Exercise = 3),
            (ConfigField.DepthTargetDeg, c => c.DepthTargetTenthsDeg = 299), (ConfigField.DescentTargetS, c => c.DescentTargetTenthsS = 101),
            (ConfigField.DeviceName, c => c.DeviceName = new string('n', 25)), (ConfigField.DeviceName, c => c.DeviceName = ""),
            (ConfigField.Length, _ => { }), (ConfigField.Version, _ => { }), (ConfigField.Flags, c => c.Flags = 0x10), (ConfigField.None, _ => { }),
        };

        // What `hinge config set` makes of key=value pairs (DeviceCommands.Config): a value not of its
        // kind is named with what is allowed; otherwise the device's limits are checked.
        private static (List<string> Problems, DeviceConfig? Config) ConfigSet(DeviceConfig current, (string Key, string Value)[] pairs)
        {
            var c = new DeviceConfig();
            c.CopyFrom(current);
            foreach (var (key, value) in pairs)
            {
                ConfigSetting s = ConfigSettings.Find(key)!;
                try { s.Set(c, value); }
                catch (Exception e) when (e is FormatException || e is OverflowException)
                {
                    return (new List<string> { $"'{value}' is not a value for {s.Key}: allowed {s.Allowed(c)}" }, null);
                }
            }
            var problems = ConfigSettings.Check(c, current).ToList();
            return (problems, problems.Count == 0 ? c : null);
        }

        private static readonly (string, string)[][] Pairs =
        {
            new[] { ("chin_drop_deg", "18") }, new[] { ("chin_drop_deg", " 18.25 ") }, new[] { ("chin_drop_deg", "18.35") }, new[] { ("chin_drop_deg", "1e1") },
            new[] { ("chin_drop_deg", "0x10") }, new[] { ("chin_drop_deg", "") }, new[] { ("chin_drop_deg", "Infinity") }, new[] { ("chin_drop_deg", "500") },
            new[] { ("height_cm", "+180") }, new[] { ("height_cm", "1.5") }, new[] { ("height_cm", "99999999999") }, new[] { ("quiet", "yes") },
            new[] { ("quiet", " TRUE ") }, new[] { ("exercise", "deadlift") }, new[] { ("exercise", "Squat") }, new[] { ("gate_close_deg", "abc") },
            new[] { ("record_rate_hz", "7"), ("gate_close_deg", "40"), ("quiet", "true") }, new[] { ("device_name", "A name over twenty chars") },
            new[] { ("use_range_percent", "true"), ("back_rounding_percent", "10") }, new[] { ("descent_target_s", "-0.04") },
        };

        private static JsonObject Cases()
        {
            var current = new DeviceConfig();
            var outOfRange = new JsonArray();
            foreach (var (field, change) in OutOfRangeValues)
            {
                DeviceConfig c = With(change);
                outOfRange.Add(new JsonObject { ["field"] = (int)field, ["config"] = Js(c), ["expected"] = ConfigSettings.OutOfRange(field, c) });
            }
            var check = new JsonArray();
            foreach (var (name, change) in new (string, Action<DeviceConfig>)[]
            {
                ("three at once", c => { c.ChinDropTenthsDeg = 5000; c.RecordRateHz = 7; c.DeviceName = ""; }),
                ("gate close over gate open", c => { c.GateOpenTenthsDeg = 100; c.GateCloseTenthsDeg = 150; }),
                ("all good", c => c.HeightCm = 190),
            })
            {
                DeviceConfig c = With(change);
                check.Add(new JsonObject { ["name"] = name, ["proposed"] = Js(c), ["current"] = Js(current), ["expected"] = new JsonArray(ConfigSettings.Check(c, current).Select(p => (JsonNode)p!).ToArray()) });
            }
            var parse = new JsonArray();
            foreach (var pairs in Pairs)
            {
                var (problems, config) = ConfigSet(current, pairs);
                parse.Add(new JsonObject
                {
                    ["pairs"] = new JsonArray(pairs.Select(p => (JsonNode)new JsonArray(p.Item1, p.Item2)).ToArray()),
                    ["current"] = Js(current),
                    ["expected"] = new JsonArray(problems.Select(p => (JsonNode)p!).ToArray()),
                    ["config"] = config == null ? null : Js(config),
                });
            }
            var faults = new JsonArray();
            for (int mask = 0; mask < 16; mask++) faults.Add(new JsonObject { ["mask"] = mask, ["expected"] = LiveState.FaultText(LiveHub.CurrentFault(mask)) });
            var calibration = new JsonArray();
            foreach (CalibrationStatus s in Enum.GetValues<CalibrationStatus>()) calibration.Add(new JsonObject { ["status"] = (int)s, ["expected"] = CalibrationStatusText.Describe(s) });
            var cues = new JsonArray();
            foreach (CoachingCue cue in Enum.GetValues<CoachingCue>().Where(c => c != CoachingCue.None))
                foreach (double v in new[] { 0, 0.5, 1.25, 2.5, 37.5, -12.5, -0.4, 0.125 })
                    cues.Add(new JsonObject { ["cue"] = (int)cue, ["value"] = v, ["expected"] = LiveState.CueText(cue, v) });
            var refusals = new JsonArray();
            byte[] session7 = { 7, 0 };
            DeviceConfig badChin = With(c => c.ChinDropTenthsDeg = 5000);
            foreach (Opcode op in Enum.GetValues<Opcode>())
                foreach (ResultCode r in Enum.GetValues<ResultCode>().Append((ResultCode)99))
                {
                    string expected = op == Opcode.WriteConfig && r == ResultCode.InvalidParameter
                        ? DeviceRefusal.Describe(op, r, null, new[] { (byte)ConfigField.ChinDropDeg }, badChin)
                        : DeviceRefusal.Describe(op, r, session7);
                    // Where the host names a command of its own or this computer, the app names what to tap instead.
                    if (expected.Contains("hinge") || expected.Contains('`') || expected.Contains("--") || expected.Contains("computer")) continue;
                    var details = new JsonObject();
                    if (op is Opcode.Download or Opcode.MarkDownloaded or Opcode.EraseSession) details["session"] = 7;
                    if (op == Opcode.WriteConfig && r == ResultCode.InvalidParameter)
                    {
                        details["field"] = (int)ConfigField.ChinDropDeg;
                        details["config"] = Js(badChin);
                    }
                    refusals.Add(new JsonObject { ["opcode"] = (int)op, ["result"] = (int)r, ["details"] = details, ["expected"] = expected });
                }
            // The passkey as typed (`hinge pair`'s PasskeyInput): what it reads, or why not.
            var passkeys = new JsonArray();
            foreach (string typed in new[] { "314252", "3 1 4 2 5 2", "3-1-4-2-5-2", " 111111 ", "555555", "31425", "3142521", "31425x", "314206", "314262", "", "   ", "é14252", "3 1 4 2 5 2 9", "0" })
            {
                bool ok = PasskeyInput.TryParse(typed, out int key, out string error);
                passkeys.Add(new JsonObject { ["typed"] = typed, ["expected"] = ok ? new JsonObject { ["passkey"] = key } : new JsonObject { ["error"] = error } });
            }
            var pairing = new JsonArray
            {
                new JsonObject { ["name"] = "OPEN_WINDOW", ["expected"] = PairingAdvice.OpenWindow },
                new JsonObject { ["name"] = "PAIRING_FAILED", ["expected"] = PairingAdvice.PairingFailed },
            };
            return new JsonObject
            {
                ["outOfRange"] = outOfRange, ["check"] = check, ["parse"] = parse, ["faults"] = faults,
                ["calibration"] = calibration, ["cues"] = cues, ["refusals"] = refusals, ["passkeys"] = passkeys, ["pairing"] = pairing,
            };
        }

        // The cases of the last run are kept as an artifact: `node App/words-parity.mjs words-parity-cases.json APP_FOLDER` runs them by hand.
        private static (int Exit, string Output) Run(JsonObject cases, string appFolder, bool keep = false)
        {
            string node = NodeJs.Executable;
            using var dir = new TempDir();
            string path = dir.File("cases.json");
            File.WriteAllText(path, cases.ToJsonString());
            if (keep) File.Copy(path, BrowserFixture.Artifact("words-parity-cases.json"), overwrite: true);
            return NodeJs.Run(Runner, path, appFolder);
        }

        [SkippableFact]
        public void The_app_says_what_hinge_says()
        {
            JsonObject cases = Cases();
            var (exit, output) = Run(cases, AppFolder, keep: true);
            Assert.True(exit == 0, output);
            Assert.EndsWith(", 0 disagreements", output.Trim());
            Assert.True(cases["refusals"]!.AsArray().Count > 100, "the refusals compared: " + cases["refusals"]!.AsArray().Count);
        }

        /// <summary>The comparison can fail: changed words in a copy of the app are named.</summary>
        [SkippableFact]
        public void A_word_changed_in_the_app_is_found()
        {
            using var dir = new TempDir();
            foreach (string f in Directory.GetFiles(AppFolder, "*.js")) File.Copy(f, dir.File(Path.GetFileName(f)));
            string settings = File.ReadAllText(dir.File("settings.js"));
            Assert.Contains("0° up to below gate_open_deg", settings);
            File.WriteAllText(dir.File("settings.js"), settings.Replace("0° up to below gate_open_deg", "0° up to gate_open_deg"));
            var (exit, output) = Run(Cases(), dir.Path);
            Assert.Equal(1, exit);
            Assert.Contains("FAIL outOfRange 10:", output);
            Assert.Contains("cases, ", output);
        }
    }
}
