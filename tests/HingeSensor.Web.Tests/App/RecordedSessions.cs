using System;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>Session files written by the firmware's own recorder on the flash model, as a download brings them: each seed another recording, another digest.</summary>
    internal static class RecordedSessions
    {
        public static byte[] Record(string serial, int seed, double seconds)
        {
            var flash = new FlashModel(2 * 1024 * 1024, seed);
            var store = new SessionStore(flash, "/hinge/", new SeededRandom(seed));
            store.Recover();
            var recorder = new SessionRecorder(store, flash);
            var header = new SessionHeader { DeviceSerial = serial, StartUnixMs = 1_764_000_000_000 + seed * 3_600_000L, FrameRateHz = 25 };
            SessionInfo s = recorder.Start(header, 0f) ?? throw new InvalidOperationException("the recorder would not start");
            var m = new PostureMetrics { ValidSegments = 7 };
            var rng = new Random(seed);
            for (int k = 0; k < (int)(seconds * 25); k++)
            {
                float t = k * 0.04f;
                m.TimeS = t;
                m.UpperBackSagittalDeg = 40 + 40 * MathF.Sin(t);
                m.SacrumSagittalDeg = 30 + 30 * MathF.Sin(t);
                m.HeadSagittalDeg = m.UpperBackSagittalDeg + (float)rng.NextDouble() * 20;
                m.HeadLateralDeg = (float)rng.NextDouble() * 3;
                recorder.AddFrame(m);
            }
            recorder.Stop(StopReason.Requested, (float)seconds);
            return flash.Contents(store.PathOf(s.Id));
        }
    }
}
