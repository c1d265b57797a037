using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Protocol;
using static HingeSensor.Web.Tests.Codec.VectorSet;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>Live packets, status, config and battery: made by the C# encoders, expected as the C# decoders read them.</summary>
    internal static partial class GoldenVectors
    {
        internal static byte[] Encode(DeviceConfig c)
        {
            var b = new byte[DeviceConfig.FixedLength + Math.Max(1, c.DeviceName.Length) + 8];
            return b[..c.Encode(b, 0)];
        }

        /// <summary>Valid configs: the defaults, every field at its low and its high limit, every flag, the shortest and longest names with the first and last printable characters.</summary>
        private static IEnumerable<(string Name, DeviceConfig Config)> Configs()
        {
            yield return ("defaults", new DeviceConfig());
            yield return ("lowest", new DeviceConfig
            {
                Flags = 0, BackRoundingTenthsDeg = DeviceConfig.MinThresholdTenthsDeg, BackRoundingPercent = DeviceConfig.MinBackRoundingPercent,
                ChinDropTenthsDeg = DeviceConfig.MinThresholdTenthsDeg, HeadUpTenthsDeg = DeviceConfig.MinThresholdTenthsDeg, HysteresisTenthsDeg = 0,
                PersistenceMs = 0, GateOpenTenthsDeg = 1, GateCloseTenthsDeg = 0, ReminderTenthsS = 0, CooldownTenthsS = 0, HapticIntensityPercent = 0,
                RecordRateHz = 1, LiveRateHz = 1, HeightCm = DeviceConfig.MinHeightCm, Exercise = 0,
                DepthTargetTenthsDeg = DeviceConfig.MinDepthTargetTenthsDeg, DescentTargetTenthsS = 0, DeviceName = " ",
            });
            yield return ("highest", new DeviceConfig
            {
                Flags = 31, BackRoundingTenthsDeg = DeviceConfig.MaxThresholdTenthsDeg, BackRoundingPercent = DeviceConfig.MaxBackRoundingPercent,
                ChinDropTenthsDeg = DeviceConfig.MaxThresholdTenthsDeg, HeadUpTenthsDeg = DeviceConfig.MaxThresholdTenthsDeg, HysteresisTenthsDeg = DeviceConfig.MaxHysteresisTenthsDeg,
                PersistenceMs = DeviceConfig.MaxPersistenceMs, GateOpenTenthsDeg = DeviceConfig.MaxGateOpenTenthsDeg, GateCloseTenthsDeg = DeviceConfig.MaxGateOpenTenthsDeg - 1,
                ReminderTenthsS = DeviceConfig.MaxIntervalTenthsS, CooldownTenthsS = DeviceConfig.MaxIntervalTenthsS, HapticIntensityPercent = DeviceConfig.MaxHapticIntensityPercent,
                RecordRateHz = 25, LiveRateHz = 25, HeightCm = DeviceConfig.MaxHeightCm, Exercise = 2,
                DepthTargetTenthsDeg = DeviceConfig.MaxDepthTargetTenthsDeg, DescentTargetTenthsS = DeviceConfig.MaxDescentTargetTenthsS, DeviceName = "~Back Coach 2025 #1~",
            });
            yield return ("rates 5, squat, quiet", new DeviceConfig { RecordRateHz = 5, LiveRateHz = 5, Exercise = 1, Flags = DeviceConfig.FlagQuiet, DeviceName = "HS" });
        }

        /// <summary>
        /// For each ConfigField but None, a record DeviceConfig.Decode refuses naming it: a value
        /// out of range written by DeviceConfig.Encode (which writes what it is given), or the
        /// record's bytes cut, grown or changed where no value can express the fault.
        /// </summary>
        internal static IEnumerable<(ConfigField Field, byte[] Bytes)> InvalidConfigs()
        {
            byte[] Bad(Action<DeviceConfig> change)
            {
                var c = new DeviceConfig();
                change(c);
                return Encode(c);
            }

            byte[] good = Encode(new DeviceConfig());
            yield return (ConfigField.Length, good[..30]);
            yield return (ConfigField.Length, good[..26]);
            yield return (ConfigField.Length, good.Concat(new byte[] { 0x41 }).ToArray());
            byte[] version = (byte[])good.Clone();
            version[0] = 3;
            yield return (ConfigField.Version, version);
            yield return (ConfigField.Flags, Bad(c => c.Flags = 32));
            yield return (ConfigField.BackRoundingDeg, Bad(c => c.BackRoundingTenthsDeg = 49));
            yield return (ConfigField.BackRoundingPercent, Bad(c => c.BackRoundingPercent = 101));
            yield return (ConfigField.ChinDropDeg, Bad(c => c.ChinDropTenthsDeg = 901));
            yield return (ConfigField.HeadUpDeg, Bad(c => c.HeadUpTenthsDeg = 0));
            yield return (ConfigField.HysteresisDeg, Bad(c => c.HysteresisTenthsDeg = 201));
            yield return (ConfigField.PersistenceMs, Bad(c => c.PersistenceMs = 5001));
            yield return (ConfigField.GateOpenDeg, Bad(c => c.GateOpenTenthsDeg = 1201));
            yield return (ConfigField.GateCloseDeg, Bad(c => c.GateCloseTenthsDeg = c.GateOpenTenthsDeg));
            yield return (ConfigField.ReminderS, Bad(c => c.ReminderTenthsS = 601));
            yield return (ConfigField.CooldownS, Bad(c => c.CooldownTenthsS = 0xFFFF));
            yield return (ConfigField.HapticIntensity, Bad(c => c.HapticIntensityPercent = 101));
            yield return (ConfigField.RecordRateHz, Bad(c => c.RecordRateHz = 0));
            yield return (ConfigField.RecordRateHz, Bad(c => c.RecordRateHz = 10));
            yield return (ConfigField.LiveRateHz, Bad(c => c.LiveRateHz = 30));
            yield return (ConfigField.HeightCm, Bad(c => c.HeightCm = 99));
            yield return (ConfigField.Exercise, Bad(c => c.Exercise = 3));
            yield return (ConfigField.DepthTargetDeg, Bad(c => c.DepthTargetTenthsDeg = 299));
            yield return (ConfigField.DescentTargetS, Bad(c => c.DescentTargetTenthsS = 101));
            yield return (ConfigField.DeviceName, Bad(c => c.DeviceName = "Tab\there"));
            yield return (ConfigField.DeviceName, Bad(c => c.DeviceName = "ABCDEFGHIJKLMNOPQRSTU"));
        }

        /// <summary>The record as firmware 1.0–1.1 wrote it: version 1, no exercise, depth target or descent target.</summary>
        private static byte[] VersionOne(DeviceConfig c)
        {
            byte[] v2 = Encode(c);
            const int coachingAt = 25, coachingBytes = 4;
            byte[] v1 = v2.Take(coachingAt).Concat(v2.Skip(coachingAt + coachingBytes)).ToArray();
            v1[0] = DeviceConfig.VersionWithoutCoaching;
            return v1;
        }

        private static void ConfigRecords(VectorSet set)
        {
            JsonObject Read(byte[] b)
            {
                var c = new DeviceConfig();
                ConfigField bad = DeviceConfig.Decode(b, 0, b.Length, c);
                if (bad != ConfigField.None) throw new InvalidOperationException($"DeviceConfig.Decode refused its own record: {bad}");
                return Config(c);
            }

            foreach (var (name, config) in Configs())
            {
                byte[] b = Encode(config);
                set.Add("config", $"config {name}", b, Read(b));
            }
            // Version 1 decodes with the coaching at its defaults; the JavaScript, like the device, writes version 2 only.
            foreach (var (name, config) in Configs().Take(3))
            {
                byte[] b = VersionOne(config);
                set.Add("config", $"config version 1 {name}", b, Read(b), reencode: false);
            }
            byte[] defaults = Encode(new DeviceConfig());
            set.Add("defaultConfig", "config defaults of the device", defaults, Read(defaults));
            set.Add("configNotification", "config notification: the record", defaults, new JsonObject { ["readAgain"] = false, ["config"] = Read(defaults) });
            set.Add("configNotification", "config notification: changed, read it (00)", new byte[] { 0 }, new JsonObject { ["readAgain"] = true });
            foreach (var ((field, bytes), i) in InvalidConfigs().Select((c, i) => (c, i)))
            {
                ConfigField refused = DeviceConfig.Decode(bytes, 0, bytes.Length, new DeviceConfig());
                if (refused != field) throw new InvalidOperationException($"DeviceConfig.Decode answers {refused} for the record meant to be wrong in {field}");
                set.Malformed("config", $"config refused: {field} (record {i}, {bytes.Length} bytes)", bytes, "DeviceConfig.Decode", field: (int)field);
            }
        }

        private static void StatusRecords(VectorSet set, HostProbe host)
        {
            var statuses = new (string Name, DeviceStatus Status)[]
            {
                ("defaults", new DeviceStatus()),
                ("§13 idle", Status(60, 3900, false, new[] { SensorState.Absent, SensorState.Absent, SensorState.Absent }, 0, 0, RecordingState.Idle, 0, 0, 192, 0, 0, 5)),
                ("recording", Status(87, 4011, true, new[] { SensorState.Ok, SensorState.Retrying, SensorState.Starting }, 3, 2, RecordingState.Recording, 12, 48, 192, 3, DeviceStatus.FlagTimeSet | DeviceStatus.FlagQuiet, 86400)),
                ("every field at its top", Status(100, 0xFFFF, true, new[] { SensorState.Starting, SensorState.Absent, SensorState.Retrying }, 7, 3, RecordingState.StoppedStorageFull, 0xFFFF, 0xFFFF, 0xFFFF, 255, 63, uint.MaxValue, 0xFFFF)),
            };
            foreach (var (name, s) in statuses)
            {
                var b = new byte[DeviceStatus.EncodedLength];
                s.Encode(b, 0);
                set.Add("status", $"status {name}", b, StatusJson(b));
                byte[] prefix = b[..DeviceStatus.EssentialLength];
                set.Add("status", $"status {name}, 19-byte notification", prefix, StatusJson(prefix));
                if (host.Push(GattIds.Status, b) != null || host.Push(GattIds.Status, prefix) != null) throw new InvalidOperationException($"the host refused status {name}");
            }
            // Between the prefix and the whole record the essential fields are read and the rest ignored, as DeviceStatus.Decode does.
            var whole = new byte[DeviceStatus.EncodedLength];
            statuses[2].Status.Encode(whole, 0);
            set.Add("status", "status of 25 bytes (essentials only)", whole[..25], StatusJson(whole[..25]), reencode: false);
        }

        private static DeviceStatus Status(int pct, int mv, bool charging, SensorState[] sensors, int cal, int capturing, RecordingState rec, int session, int used, int total, int undownloaded, int flags, uint uptime, int counters = 0)
        {
            var s = new DeviceStatus
            {
                BatteryPercent = pct, BatteryMillivolts = mv, Charging = charging, CalibrationFlags = cal, Capturing = capturing, Recording = rec,
                SessionId = session, StorageUsedKb = used, StorageTotalKb = total, UndownloadedSessions = undownloaded, Flags = flags, UptimeS = uptime,
                FifoOverflows = counters, LiveDropped = counters / 2, LoopOverruns = counters / 3, ControlLost = counters / 5,
            };
            sensors.CopyTo(s.Sensors, 0);
            return s;
        }

        // What DeviceStatus.Decode reads from the bytes.
        private static JsonObject StatusJson(byte[] b)
        {
            var s = new DeviceStatus();
            if (!s.Decode(b, 0, b.Length)) throw new InvalidOperationException("DeviceStatus.Decode refused its own record");
            bool complete = b.Length >= DeviceStatus.EncodedLength;
            var j = new JsonObject
            {
                ["batteryPercent"] = s.BatteryPercent, ["batteryMillivolts"] = s.BatteryMillivolts, ["charging"] = s.Charging,
                ["sensors"] = Ints(s.Sensors.Select(x => (int)x)), ["calibrationFlags"] = s.CalibrationFlags, ["capturing"] = s.Capturing,
                ["recording"] = (int)s.Recording, ["sessionId"] = s.SessionId, ["storageUsedKb"] = s.StorageUsedKb, ["storageTotalKb"] = s.StorageTotalKb,
                ["undownloadedSessions"] = s.UndownloadedSessions, ["flags"] = s.Flags, ["complete"] = complete,
            };
            if (!complete) return j;
            j["uptimeS"] = s.UptimeS;
            j["fifoOverflows"] = s.FifoOverflows;
            j["liveDropped"] = s.LiveDropped;
            j["loopOverruns"] = s.LoopOverruns;
            j["controlLost"] = s.ControlLost;
            return j;
        }

        private static void Battery(VectorSet set)
        {
            // The Battery Level byte is the device's LiPo.Percent of the cell voltage.
            foreach (int mv in new[] { 3000, 3700, 3900, 4250 })
            {
                int pct = LiPo.Percent(mv);
                set.Add("battery", $"battery level at {mv} mV", new[] { (byte)pct }, pct);
            }
        }

        private static LiveSample Sample(int seq, uint timeMs, float trunk, float head, float hinge, float torso, float gapCm, int phase, int faults, int valid, int reps, params Quaternion[] q)
        {
            var s = new LiveSample
            {
                Sequence = seq, TimeMs = timeMs, TrunkFlexionDeg = trunk, HeadFlexionDeg = head, HingeDeg = hinge, TorsoDeg = torso, DowelGapCm = gapCm,
                Phase = phase, FaultMask = faults, ValidMask = valid, RepCount = reps,
            };
            for (int i = 0; i < 3; i++)
            {
                Quaternion o = q.Length > i ? q[i] : Quaternion.Identity;
                s.SetOrientation(i, o.W, o.X, o.Y, o.Z);
            }
            return s;
        }

        private static Quaternion AboutX(float deg) => Quaternion.FromAxisAngle(new Vector3(1f, 0f, 0f), deg * (float)Math.PI / 180f);

        /// <summary>Live frames with the edges of every field: the §13 frame, angles saturating both ways, Q15 at ±1, no gap and the longest, every phase, fault and validity bit, wrapped counters.</summary>
        private static LiveSample[] LiveSamples() => new[]
        {
            Sample(0x1234, 123456, 12.34f, -5.5f, 45f, 60.25f, 3.2f, 1, 2, 7, 3, AboutX(5), AboutX(30), AboutX(45)),
            Sample(0, 0, 0f, 0f, 0f, 0f, 0f, 0, 0, 0, 0),
            Sample(0xFFFF, uint.MaxValue, 400f, -400f, -327.68f, 327.67f, 6553.5f, 3, 14, 7, 255,
                new Quaternion(-1f, 1f, -0.5f, 0.25f), new Quaternion(0f, 0f, 0f, -1f), new Quaternion(0.70710677f, -0.70710677f, 0f, 0f)),
            Sample(1, 40, -0.004f, 0.005f, -0.015f, 89.999f, -2f, 2, 4, 3, 17),
            Sample(2, 80, -12.345f, 33.335f, 0.01f, -0.01f, 70f, 3, 8, 5, 128, AboutX(-90), AboutX(180), AboutX(-179.9f)),
            Sample(3, 120, 20.5f, -20.5f, 90f, 91.3f, 0.05f, 0, 0, 6, 1),
        };

        private static void Live(VectorSet set, HostProbe host)
        {
            LiveSample[] samples = LiveSamples();
            foreach (int kind in new[] { LivePacket.KindFull, LivePacket.KindCompact })
            {
                for (int count = 1; count <= LivePacket.MaxFramesPerPacket; count++)
                {
                    for (int start = 0; start + count <= samples.Length; start += count == 1 ? 1 : samples.Length)
                    {
                        var b = new byte[LivePacket.HeaderBytes + count * LivePacket.FrameBytes(kind)];
                        int p = LivePacket.WriteHeader(b, 0, kind, count);
                        for (int i = 0; i < count; i++)
                        {
                            // The frames of one packet follow each other (here across the wrap), as the device numbers them.
                            LiveSample f = LiveSamples()[start + i];
                            if (count > 1) f.Sequence = (0xFFFE + i) & 0xFFFF;
                            p = LivePacket.WriteFrame(b, p, kind, f);
                        }
                        string name = $"live {(kind == LivePacket.KindFull ? "full" : "compact")} × {count} from frame {start}";
                        set.Add("live", name, b, LiveJson(b));
                        if (host.Push(GattIds.Live, b) != null) throw new InvalidOperationException($"the host refused {name}");
                    }
                }
            }
        }

        // What LivePacket.Read made of the bytes: its floats as float(wire) × scale, which the runner checks exactly.
        private static JsonObject LiveJson(byte[] b)
        {
            var frames = new LiveFrame[LivePacket.MaxFramesPerPacket];
            int n = LivePacket.Read(b, 0, b.Length, frames);
            if (n < 0) throw new InvalidOperationException("LivePacket.Read refused its own packet");
            bool full = b[0] == LivePacket.KindFull;
            const float q15 = 1f / 32767f;
            JsonNode? Quat(Quaternion q) => full ? Items(new[] { q.W, q.X, q.Y, q.Z }.Select(c => F32(c, q15))) : null;
            var list = new JsonArray();
            foreach (LiveFrame f in frames.Take(n))
            {
                list.Add(new JsonObject
                {
                    ["sequence"] = f.Sequence, ["timeMs"] = f.TimeMs, ["head"] = Quat(f.Head), ["upperBack"] = Quat(f.UpperBack), ["sacrum"] = Quat(f.Sacrum),
                    ["trunkFlexionCdeg"] = F32(f.TrunkFlexionDeg, 0.01f), ["headFlexionCdeg"] = F32(f.HeadFlexionDeg, 0.01f),
                    ["hingeCdeg"] = F32(f.HingeDeg, 0.01f), ["torsoCdeg"] = F32(f.TorsoDeg, 0.01f), ["dowelGapMm"] = F32(f.DowelGapCm, 0.1f),
                    ["phase"] = f.Phase, ["faultMask"] = f.FaultMask, ["validMask"] = f.ValidMask, ["repCount"] = f.RepCount,
                });
            }
            return new JsonObject { ["kind"] = b[0], ["frames"] = list };
        }
    }
}
