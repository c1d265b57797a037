using System;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.DevTools.Benchmarks.ServerLoad
{
    /// <summary>
    /// The session files of a load run. One recording is made by the firmware's own recorder on the
    /// virtual device's flash model (what a download brings to `hinge`): a wearer hinging for the
    /// given minutes at the device's recording rate, a rep every 10 s, a chin drop now and then.
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

        private static byte[] Record(double minutes)
        {
            var flash = new FlashModel(SessionFormat.MaxSessionBytes, 1);
            var store = new SessionStore(flash, "/hinge/", new SeededRandom(1));
            store.Recover();
            var recorder = new SessionRecorder(store, flash);
            int rate = DeviceConfig.ReportRateHz;
            var header = new SessionHeader { DeviceSerial = "LOAD-000000", StartUnixMs = 1_764_000_000_000, FrameRateHz = rate };
            foreach (var c in header.Calibration.Segments)
            {
                c.HasNeutral = c.HasHinge = true;
                c.SegmentToSensor = Quaternion.FromAxisAngle(new Vector3(0.1f, 1f, 0.2f).Normalized(), 0.4f);
                c.NeutralUp = c.SegmentToSensor.Rotate(Vector3.UnitZ);
            }
            SessionInfo s = recorder.Start(header, 0f) ?? throw new InvalidOperationException("the recorder would not start");
            var m = new PostureMetrics { ValidSegments = 7 };
            var random = new Random(1);
            int frames = (int)(minutes * 60 * rate), perRep = 10 * rate;
            for (int k = 0; k < frames; k++)
            {
                float t = (float)k / rate;
                // A hinge down and up every 10 s, the head following the upper back, a little sway.
                float phase = MathF.Max(0, MathF.Sin(t * MathF.PI / 5));
                m.TimeS = t;
                m.UpperBackSagittalDeg = 5 + 70 * phase + (float)random.NextDouble() * 2;
                m.SacrumSagittalDeg = 3 + 55 * phase + (float)random.NextDouble() * 2;
                m.HeadSagittalDeg = m.UpperBackSagittalDeg + (float)random.NextDouble() * 12;
                m.HeadLateralDeg = (float)random.NextDouble() * 3;
                recorder.AddFrame(m);
                int rep = k / perRep, inRep = k % perRep;
                if (rep % 6 == 5 && inRep == 2 * rate) recorder.AddEvent(SessionEventKind.Alignment, t, (int)AlignmentEventKind.Started, (int)Fault.ChinDrop, 2100);
                if (rep % 6 == 5 && inRep == 3 * rate) recorder.AddEvent(SessionEventKind.Alignment, t, (int)AlignmentEventKind.Corrected, (int)Fault.ChinDrop, 2400);
                if (inRep == perRep - 1)
                    recorder.AddRep(new Rep { Number = rep + 1, Counted = true, StartS = t - 5, EndS = t, DepthDeg = 70, MaxTrunkFlexionDeg = 12,
                        FaultMask = rep % 6 == 5 ? 1 << (int)Fault.ChinDrop : 0, Pattern = RepPattern.Hinge, DepthReached = rep % 3 != 0, PelvisShare = 0.7f, SacrumDropCm = 8f });
            }
            recorder.Stop(StopReason.Requested, (float)(minutes * 60));
            return flash.Contents(store.PathOf(s.Id));
        }
    }
}
