using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Reps;

namespace HingeSensor.Protocol
{
    /// <summary>Kinds of events in a session's events chunk. Wire values: never renumber.</summary>
    public enum SessionEventKind
    {
        /// <summary>a = AlignmentEventKind, b = Fault, value = peak (0.01°).</summary>
        Alignment = 1,

        /// <summary>a = CalibrationStep, b = CalibrationStatus.</summary>
        Calibration = 2,

        /// <summary>a = segment, b = SensorState.</summary>
        SensorHealth = 3,

        /// <summary>a = RepPhase entered.</summary>
        Phase = 4,

        /// <summary>a = CoachingCue, b = rep number mod 256, value = the cue's measurement × 100 (CoachingCueEvent.Value).</summary>
        Cue = 5,
    }

    /// <summary>One event in a session: 10 bytes.</summary>
    public struct SessionEvent
    {
        public const int EncodedLength = 10;

        public SessionEventKind Kind;

        /// <summary>ms since the session started.</summary>
        public uint TimeMs;
        public int A;
        public int B;
        public int Value;

        public void Write(ref ByteWriter w) { Write(w, Kind, TimeMs, A, B, Value); }

        /// <summary>One event from its fields (the device keeps them in plain arrays, not in structs).</summary>
        public static void Write(ByteWriter w, SessionEventKind kind, uint timeMs, int a, int b, int value)
        {
            w.U8((int)kind);
            w.U32(timeMs);
            w.U8(a);
            w.U8(b);
            w.I16(value);
            w.U8(0);
        }

        public static SessionEvent Read(ref ByteReader r)
        {
            var e = new SessionEvent();
            e.Kind = (SessionEventKind)r.U8();
            e.TimeMs = r.U32();
            e.A = r.U8();
            e.B = r.U8();
            e.Value = r.I16();
            r.U8();
            return e;
        }
    }

    /// <summary>
    /// A rep summary as stored in a rep chunk: 28 bytes (firmware 1.x), then 6 bytes of coaching
    /// (pattern, lockout, flags, pelvis share, sacrum drop). A reader takes the coaching bytes when
    /// the chunk has them: a chunk's own length says which, so older sessions still read.
    /// </summary>
    public static class SessionRep
    {
        public const int EncodedLength = 34;
        public const int EncodedLengthV1 = 28;
        private const int FlagDepthReached = 1;

        /// <summary>Writes a rep with times relative to the session start (s).</summary>
        public static void Write(ref ByteWriter w, ref Rep rep, float sessionStartS)
        {
            w.U16(rep.Number);
            w.U8(rep.Counted ? 1 : 0);
            w.U32(Ms(rep.StartS - sessionStartS));
            w.U32(Ms(rep.EndS - sessionStartS));
            w.Centidegrees(rep.DepthDeg);
            w.U16((int)Ms(rep.DescentS));
            w.U16((int)Ms(rep.BottomS));
            w.U16((int)Ms(rep.AscentS));
            w.Centidegrees(Nan0(rep.MaxTrunkFlexionDeg));
            w.Centidegrees(Nan0(rep.MaxHeadFlexionDeg));
            w.Centidegrees(Nan0(rep.MinHeadFlexionDeg));
            w.Centidegrees(Nan0(rep.MaxHingeAngleDeg));
            w.U8(rep.FaultMask);
            w.U8((int)rep.Pattern);
            w.U8((int)rep.Lockout);
            w.U8(rep.DepthReached ? FlagDepthReached : 0);
            w.U8(Percent(rep.PelvisShare));
            w.I16(Mm(rep.SacrumDropCm));
        }

        /// <summary>Reads a rep; its times are seconds since the session start.</summary>
        public static Rep Read(ref ByteReader r)
        {
            var rep = new Rep();
            rep.Number = r.U16();
            rep.Counted = r.U8() != 0;
            rep.StartS = r.U32() * 0.001f;
            rep.EndS = r.U32() * 0.001f;
            rep.DepthDeg = r.Centidegrees();
            rep.DescentS = r.U16() * 0.001f;
            rep.BottomS = r.U16() * 0.001f;
            rep.AscentS = r.U16() * 0.001f;
            rep.MaxTrunkFlexionDeg = r.Centidegrees();
            rep.MaxHeadFlexionDeg = r.Centidegrees();
            rep.MinHeadFlexionDeg = r.Centidegrees();
            rep.MaxHingeAngleDeg = r.Centidegrees();
            rep.FaultMask = r.U8();
            if (r.Remaining >= EncodedLength - EncodedLengthV1)
            {
                rep.Pattern = (RepPattern)r.U8();
                rep.Lockout = (Lockout)r.U8();
                rep.DepthReached = (r.U8() & FlagDepthReached) != 0;
                rep.PelvisShare = r.U8() * 0.01f;
                int dropMm = r.I16();
                rep.SacrumDropCm = dropMm == UnknownDropMm ? float.NaN : dropMm * 0.1f;
            }
            return rep;
        }

        private static uint Ms(float s) { return s <= 0f ? 0u : (uint)(s * 1000f + 0.5f); }

        // Pelvis share 0–1 as a whole percent (NaN or out of range: clamped; unknown is 0).
        private static int Percent(float share)
        {
            if (float.IsNaN(share) || share <= 0f) return 0;
            return share >= 2.55f ? 255 : (int)(share * 100f + 0.5f);
        }

        // The rep's sacrum drop is unknown (NaN on the device: its integration could not vouch for it).
        private const int UnknownDropMm = -32768;

        // Sacrum drop in cm as whole mm, i16; unknown is −32768 (out of any body's range).
        private static int Mm(float cm)
        {
            if (float.IsNaN(cm)) return UnknownDropMm;
            float mm = cm * 10f;
            if (mm > 32767f) return 32767;
            if (mm < -32767f) return -32767;
            return (int)(mm < 0f ? mm - 0.5f : mm + 0.5f);
        }
        private static float Nan0(float v) { return float.IsNaN(v) ? 0f : v; }
    }

    /// <summary>
    /// Frames chunk payload: [first frame index u32][count u8][valid mask u8] then the six segment
    /// angles (head, upper back, sacrum × sagittal, lateral) in 0.1°: the first frame as i16, each
    /// later one as zigzag-varint deltas from the one before. Invalid segments are written as 0.
    /// </summary>
    public static class SessionFrames
    {
        public const int AnglesPerFrame = 6;
        public const int PrefixBytes = 6;

        /// <summary>Worst case bytes of one delta-coded frame (6 × 3-byte varints).</summary>
        public const int MaxDeltaFrameBytes = 18;

        public static int ToDeci(float deg)
        {
            float d = deg * 10f;
            if (d >= 32767f) return 32767;
            if (d <= -32767f) return -32767;
            return (int)(d < 0f ? d - 0.5f : d + 0.5f);
        }
    }
}
