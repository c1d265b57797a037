using HingeSensor.Algorithms.Coaching;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;

namespace HingeSensor.Host.Live
{
    /// <summary>
    /// What the live view shows, kept current from the client's events (on the link's thread)
    /// and read by the renderer (on the console's): the latest frame, the alerts, the link's health,
    /// the frame rate over the last second, and whether the link is down and being brought back.
    /// </summary>
    /// <summary>What a live run showed, summed up: extremes over the frames with all three segments valid (calibrated), and the rep counter.</summary>
    /// <remarks>The angles are null when no calibrated frame came.</remarks>
    public sealed record LiveSummary(long CalibratedFrames, int Reps, double? MaxTorsoDeg, double? MinTrunkFlexionDeg, double? MaxTrunkFlexionDeg,
        double? MinHeadFlexionDeg, double? MaxHeadFlexionDeg);

    public sealed class LiveState
    {
        private readonly object _lock = new();
        private readonly Queue<double> _arrivals = new();
        private readonly List<string> _announcements = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private LiveFrame _last;
        private bool _hasFrame;
        private bool _spanStarted;
        private uint _firstTimeMs;
        private double _earlierSpansS;
        private string? _linkDown;
        private string? _lastFailure;
        private long _calibratedFrames;
        private float _maxTorso = float.NaN, _minTrunk = float.NaN, _maxTrunk = float.NaN, _minHead = float.NaN, _maxHead = float.NaN;

        public LiveState(DeviceClient client)
        {
            Client = client;
            client.LiveFrameReceived += OnFrame;
            client.EventReceived += OnEvent;
        }

        public DeviceClient Client { get; }

        public void Detach()
        {
            Client.LiveFrameReceived -= OnFrame;
            Client.EventReceived -= OnEvent;
        }

        private void OnFrame(LiveFrame f)
        {
            lock (_lock)
            {
                if (!_spanStarted) _firstTimeMs = f.TimeMs;
                _last = f;
                _hasFrame = true;
                _spanStarted = true;
                if ((f.ValidMask & 7) == 7)
                {
                    _calibratedFrames++;
                    _maxTorso = Max(_maxTorso, f.TorsoDeg);
                    _minTrunk = Min(_minTrunk, f.TrunkFlexionDeg);
                    _maxTrunk = Max(_maxTrunk, f.TrunkFlexionDeg);
                    _minHead = Min(_minHead, f.HeadFlexionDeg);
                    _maxHead = Max(_maxHead, f.HeadFlexionDeg);
                }
                double now = _clock.Elapsed.TotalSeconds;
                _arrivals.Enqueue(now);
                while (_arrivals.Count > 0 && _arrivals.Peek() < now - 1) _arrivals.Dequeue();
            }
        }

        private void OnEvent(DeviceEventMessage e)
        {
            string? text = Describe(e);
            if (text == null) return;
            lock (_lock) _announcements.Add(text);
        }

        /// <summary>
        /// Device seconds streamed since the first frame arrived (a virtual device may run faster
        /// than the wall clock), over every connection: time while the link was down is not counted.
        /// </summary>
        public double StreamedSeconds
        {
            get { lock (_lock) return _earlierSpansS + CurrentSpanS(); }
        }

        private double CurrentSpanS() => _spanStarted ? (_last.TimeMs - _firstTimeMs) / 1000.0 : 0;

        /// <summary>Why the link is down while it is being brought back; null while it is up.</summary>
        public string? LinkDown
        {
            get { lock (_lock) return _linkDown; }
        }

        /// <summary>The link dropped; reconnection has begun (on the link's thread).</summary>
        public void OnLinkLost(string reason)
        {
            lock (_lock)
            {
                // A device that comes back may have restarted its clock: keep the seconds streamed so
                // far and measure the next connection from its own first frame.
                _earlierSpansS += CurrentSpanS();
                _spanStarted = false;
                _linkDown = reason;
                _lastFailure = null;
                _announcements.Add($"link lost: {reason} — reconnecting …");
            }
        }

        /// <summary>An attempt failed: said once per different reason, not every few seconds while the device stays away.</summary>
        public void OnReconnectFailed(string why)
        {
            lock (_lock)
            {
                if (why == _lastFailure) return;
                _lastFailure = why;
                _announcements.Add($"still reconnecting: {why}");
            }
        }

        public void OnReconnected()
        {
            lock (_lock)
            {
                _linkDown = null;
                _announcements.Add("reconnected");
            }
        }

        /// <summary>A sentence for an event worth announcing, or null.</summary>
        public static string? Describe(DeviceEventMessage e)
        {
            if (e.Kind == DeviceEvent.Alignment && e.Payload.Length >= 8)
            {
                var kind = (AlignmentEventKind)e.Payload[0];
                string fault = FaultText((Fault)e.Payload[1]);
                double t = BitConverter.ToUInt32(e.Payload, 2) / 1000.0;
                double peak = BitConverter.ToInt16(e.Payload, 6) / 100.0;
                return kind switch
                {
                    AlignmentEventKind.Started => $"{t,8:0.0} s  ALERT {fault} ({peak:0}°)",
                    AlignmentEventKind.Corrected => $"{t,8:0.0} s  corrected: {fault} (worst {peak:0}°)",
                    AlignmentEventKind.Reminder => $"{t,8:0.0} s  still {fault}",
                    _ => null,
                };
            }
            if (e.Kind == DeviceEvent.Cue && e.Payload.Length >= 8)
            {
                double t = BitConverter.ToUInt32(e.Payload, 2) / 1000.0;
                double value = BitConverter.ToInt16(e.Payload, 6) / 100.0;
                return $"{t,8:0.0} s  {CueText((CoachingCue)e.Payload[0], value)}";
            }
            if (e.Kind == DeviceEvent.SensorHealth && e.Payload.Length >= 2)
                return $"sensor {SegmentName(e.Payload[0])}: {(SensorState)e.Payload[1] switch
                {
                    SensorState.Ok => "ok",
                    SensorState.Starting => "starting",
                    _ => "LOST (check its cable and strap)",
                }}";
            if (e.Kind == DeviceEvent.RecordingStopped && e.Payload.Length >= 3 && e.Payload[2] == 1)
                return "recording stopped: the device's storage is full";
            return null;
        }

        /// <summary>A cue as a coach would say it, with the measurement behind it.</summary>
        public static string CueText(CoachingCue c, double value) => c switch
        {
            CoachingCue.DepthReached => $"depth reached ({value:0}°)",
            CoachingCue.Squatting => $"hips back: that was a squat (pelvis carried {value * 100:0} % of the lean)",
            CoachingCue.FastDescent => $"slow down: {value:0.0} s down",
            CoachingCue.IncompleteLockout => $"finish tall: the rep ended {value:0}° short of standing",
            CoachingCue.LeaningBack => $"don't lean back at the top ({-value:0}° behind neutral)",
            _ => c.ToString(),
        };

        public static string FaultText(Fault f) => f switch
        {
            Fault.BackRounding => "back rounding",
            Fault.ChinDrop => "chin drop",
            Fault.HeadUp => "head cranked up",
            _ => "none",
        };

        public static string SegmentName(int s) => s switch { 0 => "head", 1 => "upper back", _ => "sacrum" };

        private static float Max(float a, float b) => float.IsNaN(a) || b > a ? b : a;
        private static float Min(float a, float b) => float.IsNaN(a) || b < a ? b : a;

        public LiveSummary Summary()
        {
            lock (_lock)
                return new LiveSummary(_calibratedFrames, _hasFrame ? _last.RepCount : 0, R(_maxTorso), R(_minTrunk), R(_maxTrunk), R(_minHead), R(_maxHead));
        }

        private static double? R(float v) => float.IsNaN(v) ? null : Math.Round(v, 1);

        /// <summary>The latest frame (if any), the frame rate over the last second, and the announcements since the last call.</summary>
        public (LiveFrame? Frame, int FramesPerSecond, IReadOnlyList<string> Announcements) Take()
        {
            lock (_lock)
            {
                var a = _announcements.ToArray();
                _announcements.Clear();
                double now = _clock.Elapsed.TotalSeconds;
                while (_arrivals.Count > 0 && _arrivals.Peek() < now - 1) _arrivals.Dequeue();
                return (_hasFrame ? _last : null, _arrivals.Count, a);
            }
        }
    }
}
