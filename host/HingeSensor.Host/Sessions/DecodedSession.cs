using HingeSensor.Algorithms.Coaching;
using System;
using System.Collections.Generic;
using System.IO;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;

namespace HingeSensor.Host.Sessions
{
    /// <summary>One frame of a recorded session: time and the six segment angles (NaN where the segment was invalid).</summary>
    public readonly record struct SessionFrame(double TimeS, float HeadSag, float HeadLat, float UpperSag, float UpperLat, float SacrumSag, float SacrumLat, int ValidMask)
    {
        public float TrunkFlexion => PostureCalculator.TrunkFlexionDeg(UpperSag, SacrumSag);
        public float HeadFlexion => PostureCalculator.HeadFlexionDeg(HeadSag, UpperSag);
    }

    /// <summary>
    /// Damaged bytes inside a session file, skipped: where, how many, and which chunk sequence
    /// numbers they held (none when the damage did not cost a whole chunk's number).
    /// </summary>
    public readonly record struct SessionHole(int Offset, int Length, long FirstMissingSequence, long LastMissingSequence)
    {
        public long MissingChunks => LastMissingSequence - FirstMissingSequence + 1;

        public override string ToString() => MissingChunks > 0
            ? $"{Length} damaged bytes at byte {Offset} (chunk{(MissingChunks > 1 ? "s" : "")} {FirstMissingSequence}{(MissingChunks > 1 ? $"-{LastMissingSequence}" : "")} lost)"
            : $"{Length} damaged bytes at byte {Offset}";
    }

    /// <summary>
    /// A session file decoded (docs/session-format.md), formats 1 and 2. A damaged chunk costs
    /// that chunk only: it is skipped and reported in <see cref="Holes"/>, the rest decodes. A
    /// file whose header chunk is damaged, or whose intact chunks say impossible things (a frame
    /// rate of 0, counts past their chunk), does not decode: <see cref="InvalidDataException"/>
    /// says what and where, and the caller keeps the file aside rather than store nonsense.
    /// </summary>
    public sealed class DecodedSession
    {
        public SessionHeader Header { get; } = new();
        public List<SessionFrame> Frames { get; } = new();
        public List<SessionEvent> Events { get; } = new();
        public List<Rep> Reps { get; } = new();
        public List<SessionHole> Holes { get; } = new();
        public bool Closed { get; private set; }
        public int EndReason { get; private set; }
        public double DurationS { get; private set; }
        public int ValidLength { get; private set; }
        public bool HadInvalidTail { get; private set; }

        public static DecodedSession Decode(byte[] data, int length)
        {
            var s = new DecodedSession();
            var reader = new SessionChunkReader(data, length);
            bool header = false;
            while (reader.Next())
            {
                if (reader.HoleLength > 0)
                    s.Holes.Add(new SessionHole(reader.HoleOffset, reader.HoleLength, reader.PreviousSequence + 1, (long)reader.Sequence - 1));
                int at = reader.PayloadOffset - SessionFormat.HeaderBytes;
                if (reader.Type == SessionFormat.ChunkHeader)
                {
                    if (!s.Header.Decode(data, reader.PayloadOffset, reader.PayloadLength))
                        throw new InvalidDataException($"session header does not decode: {s.Header.Problem}");
                    header = true;
                    continue;
                }
                // Without its header nothing else means anything (the frames' rate, whose session);
                // an intact file that starts past it has no hole to say so.
                if (!header)
                    throw new InvalidDataException(s.Holes.Count > 0
                        ? $"the session header chunk is damaged ({s.Holes[0]}): the rest cannot be read without it"
                        : $"the session starts with a {ChunkName(reader.Type)} chunk at byte {at}, not its header: the rest cannot be read without it");
                var r = new ByteReader(data, reader.PayloadOffset, reader.PayloadLength);
                switch (reader.Type)
                {
                    case SessionFormat.ChunkFrames: s.ReadFrames(ref r, at); break;
                    case SessionFormat.ChunkEvents:
                        int n = r.U8();
                        for (int i = 0; i < n && r.Ok; i++)
                        {
                            SessionEvent e = SessionEvent.Read(ref r);
                            // Alignment events become the session's alerts: one of a kind or fault that does not exist is not read as "none".
                            if (e.Kind == SessionEventKind.Alignment && (e.A < (int)AlignmentEventKind.Started || e.A > (int)AlignmentEventKind.Ended || e.B < (int)Fault.BackRounding || e.B > (int)Fault.HeadUp))
                                throw new InvalidDataException($"the events chunk at byte {at} holds an alignment event {e.A} for fault {e.B}, which do not exist");
                            if (e.Kind == SessionEventKind.Cue && (e.A < 1 || e.A >= CoachingCues.Count))
                                throw new InvalidDataException($"the events chunk at byte {at} holds a coaching cue {e.A}, which does not exist");
                            s.Events.Add(e);
                        }
                        break;
                    case SessionFormat.ChunkRep:
                        Rep rep = SessionRep.Read(ref r);
                        if ((int)rep.Pattern >= RepPatterns.Count || (int)rep.Lockout >= Lockouts.Count)
                            throw new InvalidDataException($"the rep chunk at byte {at} holds pattern {(int)rep.Pattern} / lockout {(int)rep.Lockout}, which do not exist");
                        s.Reps.Add(rep);
                        break;
                    case SessionFormat.ChunkEnd:
                        r.U32();
                        s.DurationS = r.U32() / 1000.0;
                        s.EndReason = r.U8();
                        s.Closed = true;
                        break;
                }
                if (!r.Ok) throw new InvalidDataException($"the {ChunkName(reader.Type)} chunk at byte {at} is shorter than what it says it holds");
            }
            if (reader.ValidLength == 0) throw new InvalidDataException("no intact session header");
            s.ValidLength = reader.ValidLength;
            s.HadInvalidTail = reader.HasInvalidTail;
            if (!s.Closed && s.Frames.Count > 0) s.DurationS = s.Frames[^1].TimeS;
            return s;
        }

        private static string ChunkName(int type) => type switch
        {
            SessionFormat.ChunkFrames => "frames",
            SessionFormat.ChunkEvents => "events",
            SessionFormat.ChunkRep => "rep",
            SessionFormat.ChunkEnd => "end",
            _ => "header",
        };

        private void ReadFrames(ref ByteReader r, int at)
        {
            long first = r.U32();
            int count = r.U8();
            int valid = r.U8();
            if (valid > 7) throw new InvalidDataException($"the frames chunk at byte {at} names segments that do not exist (valid mask 0x{valid:x2})");
            double rate = Header.FrameRateHz;
            var v = new int[SessionFrames.AnglesPerFrame];
            var a = new float[SessionFrames.AnglesPerFrame];
            for (int f = 0; f < count && r.Ok; f++)
            {
                for (int i = 0; i < SessionFrames.AnglesPerFrame; i++)
                {
                    // Differences in a long: a sum past the i16 the recorder writes angles in is not an angle.
                    long angle = f == 0 ? r.I16() : (long)v[i] + r.VarInt();
                    if (angle < -32767 || angle > 32767) throw new InvalidDataException($"the frames chunk at byte {at} adds up to an angle of {angle * 0.1:0.#}° in frame {first + f} (at most ±3276.7°)");
                    v[i] = (int)angle;
                    a[i] = (valid & (1 << (i / 2))) != 0 ? v[i] * 0.1f : float.NaN; // two angles per segment
                }
                Frames.Add(new SessionFrame((first + f) / rate, a[0], a[1], a[2], a[3], a[4], a[5], valid));
            }
        }
    }
}
