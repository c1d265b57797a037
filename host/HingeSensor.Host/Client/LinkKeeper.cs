using System;
using System.Threading;
using System.Threading.Tasks;

namespace HingeSensor.Host.Client
{
    /// <summary>
    /// Gets a device's link back by itself after it drops (out of range, rebooted, its process
    /// killed): waits as <see cref="ReconnectBackoff"/> says, reconnects
    /// (<see cref="DeviceConnection.ReconnectAsync"/>: subscriptions and clock again), runs what
    /// its owner must redo (<see cref="Resume"/>), and tries again for as long as it takes, until
    /// disposed. One loop per connection, so attempts never overlap.
    /// </summary>
    /// <remarks>
    /// <see cref="Lost"/> and <see cref="Reconnected"/> are raised one at a time, and a
    /// Reconnected is never raised for a link that dropped again during its attempt (that attempt
    /// counts as failed and the next one follows): whatever the owner does in them (state shown,
    /// handlers attached) ends in the order the link actually went.
    /// </remarks>
    public sealed class LinkKeeper : IAsyncDisposable
    {
        private readonly DeviceConnection _device;
        private readonly object _gate = new();
        private readonly SemaphoreSlim _lostSignal = new(0);
        private readonly CancellationTokenSource _stop = new();
        private int _losses;     // drops seen (under _gate)
        private int _recovered;  // drops a successful reconnect has answered (under _gate)
        private int _reconnects;
        private bool _disposed;
        private Task? _loop;

        public LinkKeeper(DeviceConnection device) => _device = device;

        /// <summary>The link dropped (reason for people). Raised on the link's thread: keep it short.</summary>
        public event Action<string>? Lost;

        /// <summary>An attempt failed: its number (from 1), why, and the wait before the next one.</summary>
        public event Action<int, Exception, TimeSpan>? AttemptFailed;

        /// <summary>The link is back and <see cref="Resume"/> has run.</summary>
        public event Action? Reconnected;

        /// <summary>What else a reconnection must redo before it counts (re-read the status …); if it throws, the attempt failed.</summary>
        public Func<CancellationToken, Task>? Resume { get; init; }

        /// <summary>Successful reconnections so far.</summary>
        public int Reconnects => Volatile.Read(ref _reconnects);

        /// <summary>Starts watching the link (once).</summary>
        public void Start()
        {
            if (_loop != null) return;
            _device.Client.LinkLost += OnLinkLost;
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }

        private void OnLinkLost(string reason)
        {
            lock (_gate)
            {
                if (_disposed) return;
                _losses++;
                Lost?.Invoke(reason);
                _lostSignal.Release();
            }
        }

        private async Task RunAsync(CancellationToken ct)
        {
            try
            {
                while (true)
                {
                    await _lostSignal.WaitAsync(ct);
                    bool answered;
                    lock (_gate) answered = _losses == _recovered;
                    // A drop during an attempt leaves a signal behind that the attempt after it already answered.
                    if (!answered) await ReconnectAsync(ct);
                }
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Disposed: whatever the attempt under way threw on the way out is the stop's doing.
            }
        }

        private async Task ReconnectAsync(CancellationToken ct)
        {
            var backoff = new ReconnectBackoff();
            TimeSpan wait = backoff.Next();
            for (int attempt = 1; ; attempt++)
            {
                await Task.Delay(wait, ct);
                wait = backoff.Next();
                int seen;
                lock (_gate) seen = _losses;
                try
                {
                    await _device.ReconnectAsync(ct);
                    if (Resume != null) await Resume(ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // Whatever a failed attempt threw (refused, timed out, dropped halfway), the next
                    // one starts again from connecting the link: nothing of this one is kept.
                    AttemptFailed?.Invoke(attempt, e, wait);
                    continue;
                }
                lock (_gate)
                {
                    if (_disposed) return;
                    if (_losses != seen) continue; // dropped again meanwhile: Lost was raised, try again
                    _recovered = seen;
                    _reconnects++;
                    Reconnected?.Invoke();
                    return;
                }
            }
        }

        /// <summary>Stops watching; an attempt under way is cancelled and waited for.</summary>
        public async ValueTask DisposeAsync()
        {
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
            }
            _device.Client.LinkLost -= OnLinkLost;
            _stop.Cancel();
            if (_loop != null) await _loop;
            _stop.Dispose();
        }
    }
}
