using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Live;

namespace HingeSensor.Host.Web
{
    /// <summary>
    /// Subscribes to the device once and fans its stream out to every open live page.
    /// </summary>
    /// <remarks>
    /// The device sends 50 frames/s in real time, and a time-compressed virtual device many times
    /// that. The link thread only stores the newest frame and counts (a lock and a copy); a pump
    /// then sends at most one "frame" message per <see cref="Interval"/> carrying that newest frame
    /// and how many frames it stands for, so a page's work is bounded by the interval, not by the
    /// device's rate, and the page's counters still add up to every frame received. Once a second
    /// a "link" message carries the link's health. Each page has a bounded mailbox
    /// (<see cref="LiveSubscriber"/>): a slow page loses intermediate poses, never blocks anything.
    /// </remarks>
    public sealed class LiveHub : IAsyncDisposable
    {
        public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(25);
        public const int MaxSubscribers = 32;
        public const int RecentLogEntries = 20;

        private readonly object _lock = new();
        private readonly List<LiveSubscriber> _subscribers = new();
        private readonly Queue<string> _recentLog = new();
        private string? _deviceMessage;
        private bool _completed;

        private readonly object _frameLock = new();
        private LiveFrame _latest;
        private long _received;
        private bool _fresh;

        private DeviceClient? _client;
        private Func<string?>? _wearerActivity;
        private long _sentTotal;
        private int _repWraps, _lastRepCount = -1;
        private uint _lastTimeMs;

        private readonly CancellationTokenSource _stop = new();
        private readonly Task _pump;

        public LiveHub(TimeSpan? interval = null)
        {
            Interval = interval ?? DefaultInterval;
            _pump = Task.Run(PumpAsync);
        }

        public TimeSpan Interval { get; }

        /// <summary>Frames received from the device since the hub started.</summary>
        public long FramesReceived { get { lock (_frameLock) return _received; } }

        public int SubscriberCount { get { lock (_lock) return _subscribers.Count; } }

        /// <summary>Starts relaying a connected device's stream.</summary>
        public void Attach(DeviceClient client, Func<string?>? wearerActivity = null)
        {
            Detach();
            _client = client;
            _wearerActivity = wearerActivity;
            client.LiveFrameReceived += OnFrame;
            client.EventReceived += OnEvent;
        }

        public void Detach()
        {
            DeviceClient? c = Interlocked.Exchange(ref _client, null);
            if (c == null) return;
            c.LiveFrameReceived -= OnFrame;
            c.EventReceived -= OnEvent;
        }

        /// <summary>A mailbox for a new page, primed with the device's state and the recent log; null when too many pages are open.</summary>
        public LiveSubscriber? Subscribe()
        {
            lock (_lock)
            {
                if (_completed || _subscribers.Count >= MaxSubscribers) return null;
                var s = new LiveSubscriber(Unsubscribe);
                if (_deviceMessage != null) s.Post(_deviceMessage);
                foreach (string m in _recentLog) s.Post(m);
                _subscribers.Add(s);
                return s;
            }
        }

        private void Unsubscribe(LiveSubscriber s)
        {
            lock (_lock) _subscribers.Remove(s);
        }

        /// <summary>The device's state changed (connected, lost, calibrated, recording …): every page gets it, new pages first thing.</summary>
        public void PublishDevice(string message)
        {
            lock (_lock)
            {
                _deviceMessage = message;
                foreach (LiveSubscriber s in _subscribers) s.Post(message);
            }
        }

        /// <summary>A line for the pages' log (an alert, a calibration result); the last few are replayed to new pages.</summary>
        public void PublishLog(string text, string level)
        {
            string message = SseMessage.Build("log", w =>
            {
                w.WriteString("text", text);
                w.WriteString("level", level);
            });
            lock (_lock)
            {
                _recentLog.Enqueue(message);
                while (_recentLog.Count > RecentLogEntries) _recentLog.Dequeue();
                foreach (LiveSubscriber s in _subscribers) s.Post(message);
            }
        }

        // On the link's thread: keep it to a copy and a count.
        private void OnFrame(LiveFrame f)
        {
            lock (_frameLock)
            {
                _latest = f;
                _received++;
                _fresh = true;
            }
        }

        private void OnEvent(DeviceEventMessage e)
        {
            string? text = LiveState.Describe(e) ?? DescribeEnded(e);
            if (text == null) return;
            bool alert = e.Kind == DeviceEvent.Alignment && e.Payload.Length > 0
                && (e.Payload[0] == (byte)AlignmentEventKind.Started || e.Payload[0] == (byte)AlignmentEventKind.Reminder);
            PublishLog(text.Trim(), alert ? "alert" : "info");
        }

        private async Task PumpAsync()
        {
            using var timer = new PeriodicTimer(Interval);
            var sinceLink = Stopwatch.StartNew();
            long totalAtLink = 0;
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    LiveFrame f;
                    long total;
                    bool fresh;
                    lock (_frameLock)
                    {
                        f = _latest;
                        total = _received;
                        fresh = _fresh;
                        _fresh = false;
                    }
                    if (fresh) Broadcast(FrameMessage(f, total), frame: true);
                    if (sinceLink.Elapsed >= TimeSpan.FromSeconds(1))
                    {
                        double fps = (total - totalAtLink) / sinceLink.Elapsed.TotalSeconds;
                        totalAtLink = total;
                        sinceLink.Restart();
                        Broadcast(LinkMessage(fps, total, f), frame: false);
                    }
                }
            }
            catch (OperationCanceledException) { }
        }

        private void Broadcast(string message, bool frame)
        {
            lock (_lock)
            {
                foreach (LiveSubscriber s in _subscribers)
                {
                    if (frame) s.PostFrame(message);
                    else s.Post(message);
                }
            }
        }

        private string FrameMessage(LiveFrame f, long total)
        {
            long n = total - _sentTotal;
            _sentTotal = total;
            Fault fault = CurrentFault(f.FaultMask);
            return SseMessage.Build("frame", w =>
            {
                w.WriteNumber("seq", f.Sequence);
                w.WriteNumber("t", f.TimeMs);
                SseMessage.Number(w, "hinge", f.HingeDeg);
                SseMessage.Number(w, "torso", f.TorsoDeg);
                SseMessage.Number(w, "trunk", f.TrunkFlexionDeg);
                SseMessage.Number(w, "head", f.HeadFlexionDeg);
                SseMessage.Number(w, "gap", f.DowelGapCm);
                w.WriteNumber("phase", f.Phase);
                w.WriteNumber("faults", f.FaultMask);
                w.WriteString("fault", fault == Fault.None ? null : LiveState.FaultText(fault));
                w.WriteNumber("valid", f.ValidMask);
                w.WriteNumber("reps", Reps(f.RepCount, f.TimeMs));
                w.WriteNumber("n", n);
                w.WriteNumber("total", total);
            });
        }

        // The terminal view leaves this one out; on the page an alert needs an end the wearer can see.
        private static string? DescribeEnded(DeviceEventMessage e)
        {
            if (e.Kind != DeviceEvent.Alignment || e.Payload.Length < 8 || e.Payload[0] != (byte)AlignmentEventKind.Ended) return null;
            return $"{BitConverter.ToUInt32(e.Payload, 2) / 1000.0:0.0} s  ended: {LiveState.FaultText((Fault)e.Payload[1])} (no longer watched: the hinge is over)";
        }

        /// <summary>The fault the banner names when several are active: the back first, as the coaching text does.</summary>
        public static Fault CurrentFault(int mask) =>
            Faults.Has(mask, Fault.BackRounding) ? Fault.BackRounding
            : Faults.Has(mask, Fault.ChinDrop) ? Fault.ChinDrop
            : Faults.Has(mask, Fault.HeadUp) ? Fault.HeadUp
            : Fault.None;

        // The wire carries the rep count modulo 256; a long session must not roll back to 0. A device
        // whose clock went back has restarted (it came back after a lost link) and counts from 0
        // again: that is a new count, not a wrap.
        private long Reps(int count, uint timeMs)
        {
            if (timeMs < _lastTimeMs)
            {
                _repWraps = 0;
                _lastRepCount = -1;
            }
            _lastTimeMs = timeMs;
            if (_lastRepCount >= 0 && count < _lastRepCount && _lastRepCount - count > 128) _repWraps++;
            _lastRepCount = count;
            return _repWraps * 256L + count;
        }

        private string LinkMessage(double fps, long total, LiveFrame last)
        {
            DeviceClient? c = _client;
            string? activity = null;
            try { activity = _wearerActivity?.Invoke(); }
            catch (InvalidOperationException) { }
            return SseMessage.Build("link", w =>
            {
                w.WriteNumber("fps", Math.Round(fps, 1));
                w.WriteNumber("total", total);
                w.WriteNumber("gaps", c?.Health.Gaps ?? 0);
                w.WriteNumber("lost", c?.Health.LostFrames ?? 0);
                w.WriteNumber("malformed", c?.Health.MalformedTotal ?? 0);
                w.WriteNumber("disconnects", c?.Health.Disconnects ?? 0);
                w.WriteNumber("deviceTimeS", Math.Round(last.TimeMs / 1000.0, 1));
                w.WriteString("wearer", activity);
            });
        }

        /// <summary>Ends every page's stream (the server is stopping) and stops the pump.</summary>
        public async ValueTask DisposeAsync()
        {
            lock (_lock)
            {
                _completed = true;
                foreach (LiveSubscriber s in _subscribers) s.Complete();
            }
            Detach();
            _stop.Cancel();
            await _pump;
            _stop.Dispose();
        }
    }
}
