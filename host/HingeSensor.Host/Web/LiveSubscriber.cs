using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace HingeSensor.Host.Web
{
    /// <summary>
    /// One open live page's mailbox. Its memory is bounded whatever the page does: frame updates
    /// share one slot (a newer one replaces an unsent one, since only the latest pose matters), and
    /// the other messages (device state, alerts) queue up to <see cref="QueueLength"/> with the
    /// oldest dropped first. A page that stops reading therefore costs a few kilobytes, and
    /// neither the device link nor the other pages ever wait for it.
    /// </summary>
    public sealed class LiveSubscriber : IDisposable
    {
        public const int QueueLength = 64;

        private readonly Channel<string> _messages = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueLength)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

        // A capacity-1 doorbell: rung on every post, read by the page's writer.
        private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });

        private readonly Action<LiveSubscriber> _onDispose;
        private string? _frame;
        private long _replacedFrames;

        internal LiveSubscriber(Action<LiveSubscriber> onDispose) => _onDispose = onDispose;

        /// <summary>Frame updates this page never got because a newer one replaced them first.</summary>
        public long ReplacedFrames => Interlocked.Read(ref _replacedFrames);

        internal void PostFrame(string message)
        {
            if (Interlocked.Exchange(ref _frame, message) != null) Interlocked.Increment(ref _replacedFrames);
            _wake.Writer.TryWrite(true);
        }

        internal void Post(string message)
        {
            _messages.Writer.TryWrite(message);
            _wake.Writer.TryWrite(true);
        }

        /// <summary>Ends the stream (the server is stopping): <see cref="NextAsync"/> returns null from then on.</summary>
        internal void Complete()
        {
            _messages.Writer.TryComplete();
            _wake.Writer.TryComplete();
        }

        /// <summary>The next message to send (state and alerts before the pose), or null once the stream is over.</summary>
        public async ValueTask<string?> NextAsync(CancellationToken ct)
        {
            while (true)
            {
                if (_messages.Reader.TryRead(out string? m)) return m;
                string? frame = Interlocked.Exchange(ref _frame, null);
                if (frame != null) return frame;
                if (!await _wake.Reader.WaitToReadAsync(ct)) return null;
                _wake.Reader.TryRead(out _);
            }
        }

        public void Dispose()
        {
            Complete();
            _onDispose(this);
        }
    }
}
