using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;

namespace HingeSensor.Protocol
{
    /// <summary>
    /// What the wearer can set, as stored on the device and sent over BLE (record version 2,
    /// little-endian, docs/protocol.md; version 1, without the coaching fields, still decodes). Angles in tenths of a degree, times in ms or tenths of a
    /// second, so that every field is an integer on the wire.
    /// </summary>
    public sealed class DeviceConfig
    {
        public const int Version = 2;
        /// <summary>Firmware 1.0–1.1 wrote this version: the same fields up to the name, no coaching.</summary>
        public const int VersionWithoutCoaching = 1;
        /// <summary>The device name: 1-20 printable ASCII characters (it is also the BLE advertising name).</summary>
        public const int MaxNameBytes = 20;

        // Each field's limits, inclusive: Validate enforces them and hosts quote them to people, so
        // that there is one place they are written down (docs/protocol.md repeats them).
        /// <summary>Back rounding, chin drop and head up thresholds, tenths of a degree.</summary>
        public const int MinThresholdTenthsDeg = 50, MaxThresholdTenthsDeg = 900;
        public const int MinBackRoundingPercent = 20, MaxBackRoundingPercent = 100;
        public const int MaxHysteresisTenthsDeg = 200;
        public const int MaxPersistenceMs = 5000;
        /// <summary>The gate opens at most here; it closes at 0 up to below where it opens.</summary>
        public const int MaxGateOpenTenthsDeg = 1200;
        /// <summary>Reminder interval and cooldown, tenths of a second.</summary>
        public const int MaxIntervalTenthsS = 600;
        public const int MaxHapticIntensityPercent = 100;
        public const int MinHeightCm = 100, MaxHeightCm = 250;
        /// <summary>Depth target, tenths of a degree of torso angle: 30° to 120°.</summary>
        public const int MinDepthTargetTenthsDeg = 300, MaxDepthTargetTenthsDeg = 1200;
        /// <summary>Descent tempo target, tenths of a second; 0 = none.</summary>
        public const int MaxDescentTargetTenthsS = 100;

        public const int FlagQuiet = 1;
        public const int FlagPostureMode = 2;
        public const int FlagRangePercent = 4;
        /// <summary>The positive tick at the target depth (never in posture mode).</summary>
        public const int FlagDepthCue = 8;
        /// <summary>The depth target is the wearer's own end range, learned from clean hinges.</summary>
        public const int FlagOwnDepth = 16;
        private const int KnownFlags = 31;

        /// <summary>
        /// How often the device completes its metrics for reporting, Hz (the tracker's
        /// ReportIntervalS): the record and live rates must divide it, since there is nothing new
        /// to send in between. Rates allowed: 1, 5, 25.
        /// </summary>
        public const int ReportRateHz = 25;

        // The alignment fields and the height mirror the pipeline's settings in wire units; their
        // defaults are the pipeline's own (AlignmentSettings, BodyDimensions, where each is
        // argued), taken in the constructor through the same mapping ApplyTo uses backwards.
        public int Flags;
        public int BackRoundingTenthsDeg;
        public int BackRoundingPercent;
        public int ChinDropTenthsDeg;
        public int HeadUpTenthsDeg;
        public int HysteresisTenthsDeg;
        public int PersistenceMs;
        public int GateOpenTenthsDeg;
        public int GateCloseTenthsDeg;
        public int ReminderTenthsS;
        public int CooldownTenthsS;
        public int HapticIntensityPercent = 80;
        public int RecordRateHz = ReportRateHz;
        public int LiveRateHz = ReportRateHz;
        public int HeightCm;
        /// <summary>The movement trained (Exercise): which pattern earns the "hips back" cue.</summary>
        public int Exercise;
        public int DepthTargetTenthsDeg;
        public int DescentTargetTenthsS;
        public string DeviceName = "HingeSensor";

        /// <summary>The defaults: the pipeline's settings, intensity 80 %, record and live at the report rate, named "HingeSensor".</summary>
        public DeviceConfig()
        {
            TakeFrom(new AlignmentSettings(), BodyDimensions.DefaultHeightCm);
            TakeFrom(new CoachingSettings());
        }

        public bool Quiet { get { return (Flags & FlagQuiet) != 0; } }

        /// <summary>
        /// Bytes before the name, field by field as Encode writes them: version, flags, back
        /// rounding (° and %), chin drop, head up, hysteresis, persistence, gate open, gate close,
        /// reminder, cooldown, intensity, record rate, live rate, height, exercise, depth target,
        /// descent target, name length.
        /// </summary>
        public const int FixedLength = FixedLengthWithoutCoaching + CoachingBytes;

        // Version 1 had no exercise, depth target or descent target.
        private const int FixedLengthWithoutCoaching = 1 + 1 + 2 + 1 + 2 + 2 + 2 + 2 + 2 + 2 + 2 + 2 + 1 + 1 + 1 + 1 + 1;
        private const int CoachingBytes = 1 + 2 + 1;

        /// <summary>The shortest record (a one-character name), bytes: 31.</summary>
        public const int MinEncodedLength = FixedLength + 1;

        /// <summary>The longest record (a 20-character name), bytes: 50.</summary>
        public const int MaxEncodedLength = FixedLength + MaxNameBytes;

        /// <summary>The shortest record of version 1, bytes: 27 (stored by firmware 1.0–1.1, in their sessions).</summary>
        public const int MinEncodedLengthWithoutCoaching = FixedLengthWithoutCoaching + 1;

        public void CopyFrom(DeviceConfig o)
        {
            Flags = o.Flags;
            BackRoundingTenthsDeg = o.BackRoundingTenthsDeg;
            BackRoundingPercent = o.BackRoundingPercent;
            ChinDropTenthsDeg = o.ChinDropTenthsDeg;
            HeadUpTenthsDeg = o.HeadUpTenthsDeg;
            HysteresisTenthsDeg = o.HysteresisTenthsDeg;
            PersistenceMs = o.PersistenceMs;
            GateOpenTenthsDeg = o.GateOpenTenthsDeg;
            GateCloseTenthsDeg = o.GateCloseTenthsDeg;
            ReminderTenthsS = o.ReminderTenthsS;
            CooldownTenthsS = o.CooldownTenthsS;
            HapticIntensityPercent = o.HapticIntensityPercent;
            RecordRateHz = o.RecordRateHz;
            LiveRateHz = o.LiveRateHz;
            HeightCm = o.HeightCm;
            Exercise = o.Exercise;
            DepthTargetTenthsDeg = o.DepthTargetTenthsDeg;
            DescentTargetTenthsS = o.DescentTargetTenthsS;
            DeviceName = o.DeviceName;
        }

        /// <summary>Writes the record at <paramref name="offset"/>; returns its length.</summary>
        public int Encode(byte[] buffer, int offset)
        {
            return Encode(new ByteWriter(buffer, offset, buffer.Length - offset));
        }

        /// <summary>Writes the record through <paramref name="w"/> (the device reuses one); returns its length.</summary>
        public int Encode(ByteWriter w)
        {
            int offset = w.Position;
            w.U8(Version);
            w.U8(Flags);
            w.U16(BackRoundingTenthsDeg);
            w.U8(BackRoundingPercent);
            w.U16(ChinDropTenthsDeg);
            w.U16(HeadUpTenthsDeg);
            w.U16(HysteresisTenthsDeg);
            w.U16(PersistenceMs);
            w.U16(GateOpenTenthsDeg);
            w.U16(GateCloseTenthsDeg);
            w.U16(ReminderTenthsS);
            w.U16(CooldownTenthsS);
            w.U8(HapticIntensityPercent);
            w.U8(RecordRateHz);
            w.U8(LiveRateHz);
            w.U8(HeightCm);
            w.U8(Exercise);
            w.U16(DepthTargetTenthsDeg);
            w.U8(DescentTargetTenthsS);
            // Printable ASCII only, 1-20 characters (Validate checks it): the device has no
            // text-encoding library. Written as it is, never cut: a name too long is the
            // receiver's to refuse, not the sender's to shorten without a word.
            int n = DeviceName.Length;
            w.U8(n);
            for (int i = 0; i < n; i++) w.U8(DeviceName[i]);
            return w.Position - offset;
        }

        /// <summary>
        /// Reads and validates a record into <paramref name="into"/> (left untouched on error).
        /// Returns the first wrong field, or None.
        /// </summary>
        public static ConfigField Decode(byte[] buffer, int offset, int count, DeviceConfig into)
        {
            var r = new ByteReader(buffer, offset, count);
            if (count < MinEncodedLengthWithoutCoaching) return ConfigField.Length;
            int version = r.U8();
            if (version != Version && version != VersionWithoutCoaching) return ConfigField.Version;
            if (version == Version && count < MinEncodedLength) return ConfigField.Length;
            var c = new DeviceConfig();
            int coachingDefaults = c.Flags & FlagDepthCue;
            c.Flags = r.U8();
            // A version-1 record knew no coaching switches: the coaching starts at its defaults.
            if (version == VersionWithoutCoaching) c.Flags |= coachingDefaults;
            c.BackRoundingTenthsDeg = r.U16();
            c.BackRoundingPercent = r.U8();
            c.ChinDropTenthsDeg = r.U16();
            c.HeadUpTenthsDeg = r.U16();
            c.HysteresisTenthsDeg = r.U16();
            c.PersistenceMs = r.U16();
            c.GateOpenTenthsDeg = r.U16();
            c.GateCloseTenthsDeg = r.U16();
            c.ReminderTenthsS = r.U16();
            c.CooldownTenthsS = r.U16();
            c.HapticIntensityPercent = r.U8();
            c.RecordRateHz = r.U8();
            c.LiveRateHz = r.U8();
            c.HeightCm = r.U8();
            if (version == Version)
            {
                c.Exercise = r.U8();
                c.DepthTargetTenthsDeg = r.U16();
                c.DescentTargetTenthsS = r.U8();
            }
            int n = r.U8();
            if (!r.Ok || r.Remaining != n) return ConfigField.Length;
            if (n > MaxNameBytes) return ConfigField.DeviceName;
            char[] name = new char[n];
            for (int i = 0; i < n; i++) name[i] = (char)buffer[r.Position + i];
            c.DeviceName = new string(name);
            ConfigField bad = c.Validate();
            if (bad != ConfigField.None) return bad;
            into.CopyFrom(c);
            return ConfigField.None;
        }

        /// <summary>The first field outside its range, or None. Ranges are in docs/protocol.md.</summary>
        public ConfigField Validate()
        {
            if ((Flags & ~KnownFlags) != 0) return ConfigField.Flags;
            if (BackRoundingTenthsDeg < MinThresholdTenthsDeg || BackRoundingTenthsDeg > MaxThresholdTenthsDeg) return ConfigField.BackRoundingDeg;
            if (BackRoundingPercent < MinBackRoundingPercent || BackRoundingPercent > MaxBackRoundingPercent) return ConfigField.BackRoundingPercent;
            if (ChinDropTenthsDeg < MinThresholdTenthsDeg || ChinDropTenthsDeg > MaxThresholdTenthsDeg) return ConfigField.ChinDropDeg;
            if (HeadUpTenthsDeg < MinThresholdTenthsDeg || HeadUpTenthsDeg > MaxThresholdTenthsDeg) return ConfigField.HeadUpDeg;
            if (HysteresisTenthsDeg < 0 || HysteresisTenthsDeg > MaxHysteresisTenthsDeg) return ConfigField.HysteresisDeg;
            if (PersistenceMs < 0 || PersistenceMs > MaxPersistenceMs) return ConfigField.PersistenceMs;
            if (GateOpenTenthsDeg < 0 || GateOpenTenthsDeg > MaxGateOpenTenthsDeg) return ConfigField.GateOpenDeg;
            if (GateCloseTenthsDeg < 0 || GateCloseTenthsDeg >= GateOpenTenthsDeg) return ConfigField.GateCloseDeg;
            if (ReminderTenthsS < 0 || ReminderTenthsS > MaxIntervalTenthsS) return ConfigField.ReminderS;
            if (CooldownTenthsS < 0 || CooldownTenthsS > MaxIntervalTenthsS) return ConfigField.CooldownS;
            if (HapticIntensityPercent < 0 || HapticIntensityPercent > MaxHapticIntensityPercent) return ConfigField.HapticIntensity;
            if (RecordRateHz < 1 || RecordRateHz > ReportRateHz || ReportRateHz % RecordRateHz != 0) return ConfigField.RecordRateHz;
            if (LiveRateHz < 1 || LiveRateHz > ReportRateHz || ReportRateHz % LiveRateHz != 0) return ConfigField.LiveRateHz;
            if (HeightCm < MinHeightCm || HeightCm > MaxHeightCm) return ConfigField.HeightCm;
            if (Exercise < (int)Algorithms.Coaching.Exercise.Hinge || Exercise > (int)Algorithms.Coaching.Exercise.Any) return ConfigField.Exercise;
            if (DepthTargetTenthsDeg < MinDepthTargetTenthsDeg || DepthTargetTenthsDeg > MaxDepthTargetTenthsDeg) return ConfigField.DepthTargetDeg;
            if (DescentTargetTenthsS < 0 || DescentTargetTenthsS > MaxDescentTargetTenthsS) return ConfigField.DescentTargetS;
            if (DeviceName == null || DeviceName.Length == 0 || DeviceName.Length > MaxNameBytes) return ConfigField.DeviceName;
            for (int i = 0; i < DeviceName.Length; i++)
                if (DeviceName[i] < ' ' || DeviceName[i] > '~') return ConfigField.DeviceName;
            return ConfigField.None;
        }

        // --- The one place where the config's fields meet the pipeline's settings: each field in
        // both directions, with its unit (tenths of a degree, ms and tenths of a second on the
        // wire; degrees and seconds in the settings). ---

        /// <summary>Puts the config in force in the per-sample pipeline's settings.</summary>
        public void ApplyTo(TrackerSettings s)
        {
            AlignmentSettings a = s.Alignment;
            a.BackRoundingDeg = BackRoundingTenthsDeg * 0.1f;
            a.BackRoundingPercent = BackRoundingPercent;
            a.UseRangePercent = (Flags & FlagRangePercent) != 0;
            a.ChinDropDeg = ChinDropTenthsDeg * 0.1f;
            a.HeadUpDeg = HeadUpTenthsDeg * 0.1f;
            a.HysteresisDeg = HysteresisTenthsDeg * 0.1f;
            a.PersistenceS = PersistenceMs * 0.001f;
            a.GateOpenTorsoDeg = GateOpenTenthsDeg * 0.1f;
            a.GateCloseTorsoDeg = GateCloseTenthsDeg * 0.1f;
            a.AlwaysOn = (Flags & FlagPostureMode) != 0;
            a.ReminderIntervalS = ReminderTenthsS * 0.1f;
            a.CooldownS = CooldownTenthsS * 0.1f;
            s.Body.SetHeight(HeightCm);
            CoachingSettings c = s.Coaching;
            c.Exercise = (Exercise)Exercise;
            c.DepthCue = (Flags & FlagDepthCue) != 0;
            c.OwnDepth = (Flags & FlagOwnDepth) != 0;
            c.DepthTargetDeg = DepthTargetTenthsDeg * 0.1f;
            c.DescentTargetS = DescentTargetTenthsS * 0.1f;
        }

        // The coaching half of ApplyTo, backwards.
        private void TakeFrom(CoachingSettings c)
        {
            Exercise = (int)c.Exercise;
            Flags = WithFlag(Flags, FlagDepthCue, c.DepthCue);
            Flags = WithFlag(Flags, FlagOwnDepth, c.OwnDepth);
            DepthTargetTenthsDeg = Tenths(c.DepthTargetDeg);
            DescentTargetTenthsS = Tenths(c.DescentTargetS);
        }

        // ApplyTo backwards: the settings in wire units (rounded to them).
        private void TakeFrom(AlignmentSettings a, float heightCm)
        {
            BackRoundingTenthsDeg = Tenths(a.BackRoundingDeg);
            BackRoundingPercent = Round(a.BackRoundingPercent);
            Flags = WithFlag(Flags, FlagRangePercent, a.UseRangePercent);
            ChinDropTenthsDeg = Tenths(a.ChinDropDeg);
            HeadUpTenthsDeg = Tenths(a.HeadUpDeg);
            HysteresisTenthsDeg = Tenths(a.HysteresisDeg);
            PersistenceMs = Round(a.PersistenceS * 1000f);
            GateOpenTenthsDeg = Tenths(a.GateOpenTorsoDeg);
            GateCloseTenthsDeg = Tenths(a.GateCloseTorsoDeg);
            Flags = WithFlag(Flags, FlagPostureMode, a.AlwaysOn);
            ReminderTenthsS = Tenths(a.ReminderIntervalS);
            CooldownTenthsS = Tenths(a.CooldownS);
            HeightCm = Round(heightCm);
        }

        private static int WithFlag(int flags, int flag, bool on) { return on ? flags | flag : flags & ~flag; }

        private static int Tenths(float v) { return Round(v * 10f); }

        private static int Round(float v) { return (int)(v < 0f ? v - 0.5f : v + 0.5f); }
    }
}
