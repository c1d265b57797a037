using System;
using System.Collections.Generic;
using System.IO;
using HingeSensor.Algorithms.Protocol;
using HingeSensor.Algorithms.Reps;

namespace HingeSensor.Host.Sessions
{
    /// <summary>One frame of a recorded session: time and the six segment angles (NaN where the segment was invalid).</summary>
    public readonly record struct SessionFrame(double TimeS, float HeadSag, float HeadLat, float UpperSag, float UpperLat, float SacrumSag, float SacrumLat, int ValidMask)
    {
        public float TrunkFlexion => UpperSag - SacrumSag;
        public float HeadFlexion => HeadSag - UpperSag;
    }

    /// <summary>A session file decoded (docs/session-format.md).</summary>
    public sealed class DecodedSession
    {
        public SessionHeader Header { get; } = new();
        public List<SessionFrame> Frames { get; } = new();
        public List<SessionEvent> Events { get; } = new();
        public List<Rep> Reps { get; } = new();
        public bool Closed { get; private set; }
        public int EndReason { get; private set; }
        public double DurationS { get; private set; }
        public int ValidLength { get; private set; }
        public bool HadInvalidTail { get; private set; }

        /// <summary>Decodes the intact chunks; an invalid tail is reported, not an error. A file without a valid header is.</summary>
        public static DecodedSession Decode(byte[] data, int length)
        {
            var s = new DecodedSession();
            var reader = new SessionChunkReader(data, length);
            while (reader.Next())
            {
                var r = new ByteReader(data, reader.PayloadOffset, reader.PayloadLength);
                switch (reader.Type)
                {
                    case SessionFormat.ChunkHeader:
                        if (!s.Header.Decode(data, reader.PayloadOffset, reader.PayloadLength)) throw new InvalidDataException("session header does not decode");
                        break;
                    case SessionFormat.ChunkFrames: s.ReadFrames(ref r); break;
                    case SessionFormat.ChunkEvents:
                        int n = r.U8();
                        for (int i = 0; i < n; i++) s.Events.Add(SessionEvent.Read(ref r));
                        break;
                    case SessionFormat.ChunkRep: s.Reps.Add(SessionRep.Read(ref r)); break;
                    case SessionFormat.ChunkEnd:
                        r.U32();
                        s.DurationS = r.U32() / 1000.0;
                        s.EndReason = r.U8();
                        s.Closed = true;
                        break;
                }
            }
            if (reader.ValidLength == 0) throw new InvalidDataException("no intact session header");
            s.ValidLength = reader.ValidLength;
            s.HadInvalidTail = reader.HasInvalidTail;
            if (!s.Closed && s.Frames.Count > 0) s.DurationS = s.Frames[^1].TimeS;
            return s;
        }

        private void ReadFrames(ref ByteReader r)
        {
            long first = r.U32();
            int count = r.U8();
            int valid = r.U8();
            double rate = Header.FrameRateHz;
            var v = new int[SessionFrames.AnglesPerFrame];
            var a = new float[SessionFrames.AnglesPerFrame];
            for (int f = 0; f < count; f++)
            {
                for (int i = 0; i < SessionFrames.AnglesPerFrame; i++)
                {
                    v[i] = f == 0 ? r.I16() : v[i] + r.VarInt();
                    a[i] = (valid & (1 << (i / 2))) != 0 ? v[i] * 0.1f : float.NaN; // two angles per segment
                }
                Frames.Add(new SessionFrame((first + f) / rate, a[0], a[1], a[2], a[3], a[4], a[5], valid));
            }
            if (!r.Ok) throw new InvalidDataException("frames chunk does not decode");
        }
    }
}
