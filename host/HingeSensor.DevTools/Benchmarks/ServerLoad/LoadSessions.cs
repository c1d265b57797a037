using System;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Reps;
using System.IO;
using HingeSensor.Protocol;

namespace HingeSensor.DevTools.Benchmarks.ServerLoad
{
    /// <summary>
    /// The session files of a load run. One recording is written with the protocol's encoders, chunk
    /// by chunk as the device's recorder writes it (what a download brings to `hinge`): a wearer
    /// hinging for the given minutes at the device's recording rate, a rep every 10 s, a chin drop
    /// in every sixth.
    /// Each wearer gets that recording under their own device serial and start time, its header
    /// chunk sealed again (CRC right), so each file decodes and has a digest of its own.
    /// </summary>
    public sealed class LoadSessions
    {
        private readonly byte[] _recording;
        private readonly int _headerEnd;
        private readonly SessionHeader _header = new();
        private readonly uint _headerSequence;

        public LoadSessions(double minutes)
        {
            _recording = Record(minutes);
            var reader = new SessionChunkReader(_recording, _recording.Length);
            if (!reader.Next() || reader.Type != SessionFormat.ChunkHeader || !_header.Decode(_recording, reader.PayloadOffset, reader.PayloadLength))
                throw new InvalidOperationException("the recording does not start with its header");
            _headerEnd = reader.ValidLength;
            _headerSequence = reader.Sequence;
            Seconds = minutes * 60;
        }

        public double Seconds { get; }

        /// <summary>Bytes of one session file.</summary>
        public int Length => _recording.Length;

        /// <summary>Wearer <paramref name="n"/>'s session: the recording under device LOAD-n, started n seconds after the first.</summary>
        public byte[] For(int n)
        {
            var header = new SessionHeader();
            header.Decode(_recording, SessionFormat.HeaderBytes, _headerEnd - SessionFormat.Overhead);
            header.DeviceSerial = $"LOAD-{n:D6}";
            header.StartUnixMs = _header.StartUnixMs + n * 1000L;
            var chunk = new byte[SessionFormat.MaxPayload + SessionFormat.Overhead];
            int payload = header.Encode(chunk, SessionFormat.HeaderBytes);
            if (payload < 0) throw new InvalidOperationException("the header does not encode again");
            int chunkLength = SessionFormat.Seal(chunk, SessionFormat.ChunkHeader, payload, _headerSequence);
            var file = new byte[chunkLength + _recording.Length - _headerEnd];
            Array.Copy(chunk, file, chunkLength);
            Array.Copy(_recording, _headerEnd, file, chunkLength, _recording.Length - _headerEnd);
            return file;
        }

        // Chunk by chunk as the device's recorder writes them (docs/session-format.md): the header,
        // then every second a frames chunk (angles in 0.1°, the first frame as i16, the others as
        // varint deltas), an events chunk when something happened and a chunk per rep; the End.
        private static byte[] Record(double minutes)
        {
            int rate = DeviceConfig.ReportRateHz, frames = (int)(minutes * 60 * rate), perRep = 10 * rate;
            var header = new SessionHeader { DeviceSerial = "LOAD-000000", SessionId = 1, SessionUid = 0x5EED, StartUnixMs = 1_764_000_000_000, FrameRateHz = rate };
            header.FirmwareMajor = 1;
            foreach (var c in header.Calibration.Segments)
            {
                c.HasNeutral = c.HasHinge = true;
                c.SegmentToSensor = Quaternion.FromAxisAngle(new Vector3(0.1f, 1f, 0.2f).Normalized(), 0.4f);
                c.NeutralUp = c.SegmentToSensor.Rotate(Vector3.UnitZ);
            }
            var file = new MemoryStream();
            var chunk = new byte[SessionFormat.MaxPayload + SessionFormat.Overhead];
            var w = new ByteWriter();
            uint sequence = 0;
            void Put(int type, int payload) => file.Write(chunk, 0, SessionFormat.Seal(chunk, type, payload, sequence++));

            Put(SessionFormat.ChunkHeader, header.Encode(chunk, SessionFormat.HeaderBytes));
            var random = new Random(1);
            var angles = new int[SessionFrames.AnglesPerFrame];
            var last = new int[SessionFrames.AnglesPerFrame];
            for (int first = 0; first < frames; first += rate)
            {
                int count = Math.Min(rate, frames - first);
                w.Reset(chunk, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
                w.U32((uint)first);
                w.U8(count);
                w.U8(7); // all three segments valid
                for (int k = first; k < first + count; k++)
                {
                    float t = (float)k / rate;
                    // A hinge down and up every 10 s, the head following the upper back, a little sway.
                    float phase = MathF.Max(0, MathF.Sin(t * MathF.PI / 5));
                    float upperBack = 5 + 70 * phase + (float)random.NextDouble() * 2;
                    angles[0] = SessionFrames.ToDeci(upperBack + (float)random.NextDouble() * 12);
                    angles[1] = SessionFrames.ToDeci((float)random.NextDouble() * 3);
                    angles[2] = SessionFrames.ToDeci(upperBack);
                    angles[3] = SessionFrames.ToDeci((float)random.NextDouble() * 2);
                    angles[4] = SessionFrames.ToDeci(3 + 55 * phase + (float)random.NextDouble() * 2);
                    angles[5] = SessionFrames.ToDeci((float)random.NextDouble() * 2);
                    for (int i = 0; i < angles.Length; i++)
                    {
                        if (k == first) w.I16(angles[i]);
                        else w.VarInt(angles[i] - last[i]);
                        last[i] = angles[i];
                    }
                }
                Put(SessionFormat.ChunkFrames, w.Position - SessionFormat.HeaderBytes);

                int rep = first / perRep, inRep = first % perRep;
                if (rep % 6 == 5 && inRep == 3 * rate)
                {
                    // A chin drop in every sixth rep: 2 s to 3 s into it.
                    w.Reset(chunk, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
                    w.U8(2);
                    SessionEvent.Write(w, SessionEventKind.Alignment, (uint)(first - rate) * 1000 / (uint)rate, (int)AlignmentEventKind.Started, (int)Fault.ChinDrop, 2100);
                    SessionEvent.Write(w, SessionEventKind.Alignment, (uint)first * 1000 / (uint)rate, (int)AlignmentEventKind.Corrected, (int)Fault.ChinDrop, 2400);
                    Put(SessionFormat.ChunkEvents, w.Position - SessionFormat.HeaderBytes);
                }
                if (inRep == perRep - rate)
                {
                    float end = (float)(first + count) / rate;
                    var r = new Rep { Number = rep + 1, Counted = true, StartS = end - 5, EndS = end, DepthDeg = 70, MaxTrunkFlexionDeg = 12,
                        FaultMask = rep % 6 == 5 ? 1 << (int)Fault.ChinDrop : 0, Pattern = RepPattern.Hinge, DepthReached = rep % 3 != 0, PelvisShare = 0.7f, SacrumDropCm = 8f };
                    w.Reset(chunk, SessionFormat.HeaderBytes, SessionRep.EncodedLength);
                    SessionRep.Write(ref w, ref r, 0f);
                    Put(SessionFormat.ChunkRep, SessionRep.EncodedLength);
                }
            }
            w.Reset(chunk, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
            w.U32((uint)frames);
            w.U32((uint)(minutes * 60_000));
            w.U8(StopRequested);
            Put(SessionFormat.ChunkEnd, w.Position - SessionFormat.HeaderBytes);
            return file.ToArray();
        }

        /// <summary>The End chunk's reason for a recording stopped on request (docs/session-format.md).</summary>
        private const int StopRequested = 2;
    }
}
