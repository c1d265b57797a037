using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Tests.Reports
{
    /// <summary>Sessions made in code, for the cases a recording rarely has: no reps, no calibration, invalid sensors, odd names.</summary>
    public static class SyntheticSession
    {
        public static readonly IReadOnlyDictionary<string, double> Thresholds = new Dictionary<string, double>
        {
            ["back_rounding"] = 20, ["chin_drop"] = 15, ["head_up"] = 10, ["gate_open_torso"] = 30,
        };

        public static StoredRep Rep(int number, double startS, double depthDeg, params string[] faults) =>
            new(number, true, startS, startS + 3, depthDeg, 1, 1, 1, faults.Contains("back_rounding") ? 25 : 5, faults.Contains("chin_drop") ? 20 : 2, -2, 70, faults);

        public static StoredRep Uncounted(int number, double startS) => new(number, false, startS, startS + 2, 30, 1, 0.2, 0.8, 3, 1, -1, 25, Array.Empty<string>());

        /// <summary>One hinge every 5 s at 25 Hz; the head sensor drops out (NaN) for a second in the middle.</summary>
        public static List<StoredFrame> Frames(double durationS)
        {
            var frames = new List<StoredFrame>();
            for (int i = 0; i <= durationS * 25; i++)
            {
                double t = i / 25.0;
                float torso = (float)(40 * (1 - Math.Cos(2 * Math.PI * t / 5)));
                bool headLost = Math.Abs(t - durationS / 2) < 0.5;
                frames.Add(new StoredFrame(t, headLost ? float.NaN : torso + 3, 0, torso, 0, torso * 0.9f, 0, headLost ? 6 : 7));
            }
            return frames;
        }

        public static StoredSession Make(long id, IReadOnlyList<StoredRep> reps, IReadOnlyList<StoredAlert>? alerts = null, IReadOnlyList<StoredFrame>? frames = null,
            IReadOnlyList<StoredCalibration>? calibration = null, string device = "HS1-TEST")
        {
            alerts ??= Array.Empty<StoredAlert>();
            frames ??= Frames(reps.Count == 0 ? 10 : reps.Max(r => r.EndS) + 2);
            var summary = new StoredSessionSummary(id, "device", device, 1, 0, frames.Count > 0 ? frames[^1].TimeS : 0,
                reps.Count(r => r.Counted), alerts.Count, "2026-01-01T00:00:00Z", 0);
            return new StoredSession(summary, 175, calibration ?? Array.Empty<StoredCalibration>(), reps, alerts, frames, Thresholds);
        }
    }
}
