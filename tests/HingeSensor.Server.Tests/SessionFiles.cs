using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// Session files written by the firmware's own recorder on the virtual device's flash model:
    /// what a download brings to `hinge` and `hinge sync` brings to the server. Each seed gives
    /// another recording identity, so another content digest.
    /// </summary>
    internal static class SessionFiles
    {
        public const long Start = 1_764_000_000_000;

        /// <param name="reps">Counted reps, one every 5 s; the first <paramref name="faultyReps"/> of them with back rounding.</param>
        /// <param name="chinDrops">Chin-drop alerts, each 0.8 s long, one every 5 s from 1 s.</param>
        public static byte[] Record(string serial, int seed, double seconds = 30, int reps = 4, int faultyReps = 1, int chinDrops = 2, long startUnixMs = Start)
        {
            var flash = new FlashModel(1024 * 1024, seed);
            var store = new SessionStore(flash, "/hinge/", new SeededRandom(seed));
            store.Recover();
            var recorder = new SessionRecorder(store, flash);
            var header = new SessionHeader { DeviceSerial = serial, StartUnixMs = startUnixMs, FrameRateHz = 25 };
            foreach (var c in header.Calibration.Segments)
            {
                c.HasNeutral = c.HasHinge = true;
                c.SegmentToSensor = Quaternion.FromAxisAngle(new Vector3(0.1f, 1f, 0.2f).Normalized(), 0.4f);
                c.NeutralUp = c.SegmentToSensor.Rotate(Vector3.UnitZ);
            }
            SessionInfo s = recorder.Start(header, 0f) ?? throw new InvalidOperationException("the recorder would not start");
            var m = new PostureMetrics { ValidSegments = 7 };
            var rng = new Random(seed);
            int frames = (int)(seconds * 25);
            for (int k = 0; k < frames; k++)
            {
                float t = k * 0.04f;
                m.TimeS = t;
                m.UpperBackSagittalDeg = 40 + 40 * MathF.Sin(t);
                m.SacrumSagittalDeg = 30 + 30 * MathF.Sin(t);
                m.HeadSagittalDeg = m.UpperBackSagittalDeg + (float)rng.NextDouble() * 20;
                m.HeadLateralDeg = (float)rng.NextDouble() * 3;
                recorder.AddFrame(m);
                int slot = k / 125, inSlot = k % 125;
                if (slot < chinDrops && inSlot == 25) recorder.AddEvent(SessionEventKind.Alignment, t, (int)AlignmentEventKind.Started, (int)Fault.ChinDrop, 2100);
                if (slot < chinDrops && inSlot == 45) recorder.AddEvent(SessionEventKind.Alignment, t, (int)AlignmentEventKind.Corrected, (int)Fault.ChinDrop, 2400);
                if (slot < reps && inSlot == 124)
                    recorder.AddRep(new Rep { Number = slot + 1, Counted = true, StartS = t - 3, EndS = t, DepthDeg = 80, MaxTrunkFlexionDeg = 12,
                        FaultMask = slot < faultyReps ? 1 << (int)Fault.BackRounding : 0, Pattern = RepPattern.Hinge, DepthReached = slot % 2 == 0, PelvisShare = 0.7f, SacrumDropCm = 8f });
            }
            recorder.Stop(StopReason.Requested, (float)seconds);
            return flash.Contents(store.PathOf(s.Id));
        }

        /// <summary>The chunks of a file: where each starts, its length and type.</summary>
        public static List<(int Offset, int Length, int Type)> Chunks(byte[] file)
        {
            var chunks = new List<(int, int, int)>();
            var reader = new SessionChunkReader(file, file.Length);
            for (int at = 0; reader.Next(); at = reader.ValidLength) chunks.Add((at, reader.ValidLength - at, reader.Type));
            return chunks;
        }

        /// <summary>The file with the first chunk of <paramref name="type"/> given another payload, sealed again (its CRC right): content that checks but says what it says.</summary>
        public static byte[] WithChunk(byte[] file, int type, byte[] payload)
        {
            var reader = new SessionChunkReader(file, file.Length);
            for (int at = 0; reader.Next(); at = reader.ValidLength)
            {
                if (reader.Type != type) continue;
                var chunk = new byte[payload.Length + SessionFormat.Overhead];
                payload.CopyTo(chunk, SessionFormat.HeaderBytes);
                SessionFormat.Seal(chunk, type, payload.Length, reader.Sequence);
                return file[..at].Concat(chunk).Concat(file[reader.ValidLength..]).ToArray();
            }
            throw new InvalidOperationException($"no chunk of type {type}");
        }

        /// <summary>A copy with one byte changed.</summary>
        public static byte[] Flipped(byte[] file, int at)
        {
            byte[] copy = (byte[])file.Clone();
            copy[at] ^= 0x5A;
            return copy;
        }
    }
}
