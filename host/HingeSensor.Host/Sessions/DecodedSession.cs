using System;
using System.Collections.Generic;
using System.IO;
using HingeSensor.Protocol;
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
            while (reader.Next())
            {
                if (reader.HoleLength > 0)
                    s.Holes.Add(new SessionHole(reader.HoleOffset, reader.HoleLength, reader.PreviousSequence + 1, (long)reader.Sequence - 1));
                int at = reader.PayloadOffset - SessionFormat.HeaderBytes;
                if (reader.Type == SessionFormat.ChunkHeader)
                {
                    if (!s.Header.Decode(data, reader.PayloadOffset, reader.PayloadLength))
                        throw new InvalidDataException($"session header does not decode: {s.Header.Problem}");
                    continue;
                }
                if (reader.PreviousSequence < 0 && s.Holes.Count > 0)
                    throw new InvalidDataException($"the session header chunk is damaged ({s.Holes[0]}): the rest cannot be read without it");
                var r = new ByteReader(data, reader.PayloadOffset, reader.PayloadLength);
                switch (reader.Type)
                {
                    case SessionFormat.ChunkFrames: s.ReadFrames(ref r, at); break;
                    case SessionFormat.ChunkEvents:
                        int n = r.U8();
                        for (int i = 0; i < n && r.Ok; i++) s.Events.Add(SessionEvent.Read(ref r));
                        break;
                    case SessionFormat.ChunkRep: s.Reps.Add(SessionRep.Read(ref r)); break;
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
                    v[i] = f == 0 ? r.I16() : v[i] + r.VarInt();
                    a[i] = (valid & (1 << (i / 2))) != 0 ? v[i] * 0.1f : float.NaN; // two angles per segment
                }
                Frames.Add(new SessionFrame((first + f) / rate, a[0], a[1], a[2], a[3], a[4], a[5], valid));
            }
        }
    }
}
