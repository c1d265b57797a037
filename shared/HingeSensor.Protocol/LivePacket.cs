using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Protocol
{
    /// <summary>
    /// Live notifications: [kind u8][count u8][frames]. Full frames (44 bytes) carry the three
    /// orientations; when the MTU cannot hold one (MTU &lt; 49) compact frames (18 bytes) carry
    /// everything but the orientations, so the stream keeps its rate at the minimum MTU of 23.
    /// As many frames as fit in MTU − 3 go in one notification, up to <see cref="MaxFramesPerPacket"/>.
    /// </summary>
    public static class LivePacket
    {
        public const int KindFull = 1;
        public const int KindCompact = 2;
        public const int HeaderBytes = 2;
        public const int FullFrameBytes = 44;
        public const int CompactFrameBytes = 18;

        /// <summary>What a full frame's state bytes may hold: rep phase 0-3, fault bits 1-3 (1 &lt;&lt; Fault), valid bits 0-2 (a compact frame cannot say more).</summary>
        public const int MaxPhase = 3;
        public const int FaultBits = 0x0E;
        public const int ValidBits = 0x07;

        /// <summary>More frames per packet would only add latency (4 frames = 80 ms at 50 Hz).</summary>
        public const int MaxFramesPerPacket = 4;

        public static int PayloadBytes(int mtu) { return mtu - GattIds.AttNotifyOverhead; }

        /// <summary>Full frames when at least one fits the MTU, compact otherwise.</summary>
        public static int KindFor(int mtu) { return PayloadBytes(mtu) >= HeaderBytes + FullFrameBytes ? KindFull : KindCompact; }

        public static int FrameBytes(int kind) { return kind == KindFull ? FullFrameBytes : CompactFrameBytes; }

        public static int FramesPerPacket(int mtu)
        {
            int kind = KindFor(mtu);
            int n = (PayloadBytes(mtu) - HeaderBytes) / FrameBytes(kind);
            return n > MaxFramesPerPacket ? MaxFramesPerPacket : n;
        }

        /// <summary>Writes the header for count frames; returns the position after it.</summary>
        public static int WriteHeader(byte[] buffer, int offset, int kind, int count)
        {
            buffer[offset] = (byte)kind;
            buffer[offset + 1] = (byte)count;
            return offset + HeaderBytes;
        }

        /// <summary>Appends one frame of the given kind at offset; returns the position after it (host, tests).</summary>
        public static int WriteFrame(byte[] buffer, int offset, int kind, ref LiveFrame f)
        {
            var sample = new LiveSample();
            sample.CopyFrom(ref f);
            return WriteFrame(buffer, offset, kind, sample);
        }

        /// <summary>
        /// Appends one frame of the given kind at <paramref name="p"/>; returns the position after
        /// it. The caller leaves room for <see cref="FrameBytes"/>(kind) bytes.
        /// </summary>
        /// <remarks>The device's path (tens of frames a second): bytes are stored here rather than
        /// through a <see cref="ByteWriter"/>, whose call per field would cost several times the
        /// encoding on the interpreter; the conversions are ByteWriter's (Q15 written out, centidegrees called).</remarks>
        public static int WriteFrame(byte[] b, int p, int kind, LiveSample f)
        {
            int v = f.Sequence;
            b[p] = (byte)v;
            b[p + 1] = (byte)(v >> 8);
            uint t = f.TimeMs;
            b[p + 2] = (byte)t;
            b[p + 3] = (byte)(t >> 8);
            b[p + 4] = (byte)(t >> 16);
            b[p + 5] = (byte)(t >> 24);
            p += 6;
            if (kind == KindFull)
            {
                float[] q = f.Orientations;
                for (int i = 0; i < 12; i++)
                {
                    // ByteWriter.Q15 written out (a call per component would cost more than the
                    // rest of the frame); a test holds the two to the same bytes.
                    float sc = q[i] * 32767f;
                    v = sc >= 32767f ? 32767 : sc <= -32767f ? -32767 : (int)(sc < 0f ? sc - 0.5f : sc + 0.5f);
                    b[p] = (byte)v;
                    b[p + 1] = (byte)(v >> 8);
                    p += 2;
                }
            }
            v = ByteWriter.CentidegreesOf(f.TrunkFlexionDeg);
            b[p] = (byte)v;
            b[p + 1] = (byte)(v >> 8);
            v = ByteWriter.CentidegreesOf(f.HeadFlexionDeg);
            b[p + 2] = (byte)v;
            b[p + 3] = (byte)(v >> 8);
            v = ByteWriter.CentidegreesOf(f.HingeDeg);
            b[p + 4] = (byte)v;
            b[p + 5] = (byte)(v >> 8);
            v = ByteWriter.CentidegreesOf(f.TorsoDeg);
            b[p + 6] = (byte)v;
            b[p + 7] = (byte)(v >> 8);
            float mm = f.DowelGapCm * 10f;
            v = mm <= 0f ? 0 : mm >= 65535f ? 65535 : (int)(mm + 0.5f);
            b[p + 8] = (byte)v;
            b[p + 9] = (byte)(v >> 8);
            p += 10;
            if (kind == KindFull)
            {
                b[p] = (byte)f.Phase;
                b[p + 1] = (byte)f.FaultMask;
                b[p + 2] = (byte)f.ValidMask;
                p += 3;
            }
            else
            {
                // phase (2 bits) | faults without the None bit (3 bits) | valid (3 bits)
                b[p] = (byte)((f.Phase & 3) | (((f.FaultMask >> 1) & 7) << 2) | ((f.ValidMask & 7) << 5));
                p++;
            }
            b[p] = (byte)f.RepCount;
            return p + 1;
        }

        /// <summary>
        /// Reads a notification into frames. Returns the frame count, or −1 when the packet is
        /// malformed (unknown kind, a count that does not match the length, no frames, a full
        /// frame whose phase, fault mask or valid mask is outside what the protocol allows: shown,
        /// such a mask would name a fault the device never reported).
        /// </summary>
        public static int Read(byte[] buffer, int offset, int count, LiveFrame[] frames)
        {
            if (count < HeaderBytes) return -1;
            int kind = buffer[offset];
            int n = buffer[offset + 1];
            if (kind != KindFull && kind != KindCompact) return -1;
            if (n < 1 || n > frames.Length || count != HeaderBytes + n * FrameBytes(kind)) return -1;
            var r = new ByteReader(buffer, offset + HeaderBytes, count - HeaderBytes);
            for (int i = 0; i < n; i++)
            {
                LiveFrame f = new LiveFrame();
                f.Sequence = r.U16();
                f.TimeMs = r.U32();
                if (kind == KindFull)
                {
                    f.Head = r.QuaternionQ15();
                    f.UpperBack = r.QuaternionQ15();
                    f.Sacrum = r.QuaternionQ15();
                }
                else
                {
                    f.Head = Quaternion.Identity;
                    f.UpperBack = Quaternion.Identity;
                    f.Sacrum = Quaternion.Identity;
                }
                f.TrunkFlexionDeg = r.Centidegrees();
                f.HeadFlexionDeg = r.Centidegrees();
                f.HingeDeg = r.Centidegrees();
                f.TorsoDeg = r.Centidegrees();
                f.DowelGapCm = r.U16() * 0.1f;
                if (kind == KindFull)
                {
                    f.Phase = r.U8();
                    f.FaultMask = r.U8();
                    f.ValidMask = r.U8();
                    if (f.Phase > MaxPhase || (f.FaultMask & ~FaultBits) != 0 || (f.ValidMask & ~ValidBits) != 0) return -1;
                }
                else
                {
                    int s = r.U8();
                    f.Phase = s & 3;
                    f.FaultMask = ((s >> 2) & 7) << 1;
                    f.ValidMask = (s >> 5) & 7;
                }
                f.RepCount = r.U8();
                frames[i] = f;
            }
            return r.Ok ? n : -1;
        }
    }
}
