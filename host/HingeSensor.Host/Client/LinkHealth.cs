using System.Threading;

namespace HingeSensor.Host.Client
{
    /// <summary>What can be wrong with a notification. Each is counted and reported, never fatal.</summary>
    public enum MalformedKind
    {
        /// <summary>Shorter than its header.</summary>
        Short,

        /// <summary>Longer than the link allows (MTU − 3): the stack would have cut it, so it is not ours.</summary>
        Oversized,

        /// <summary>A session chunk whose CRC does not match (the bytes are re-requested).</summary>
        BadCrc,

        /// <summary>A response to a request we did not make, or an event/message type we do not know.</summary>
        UnknownOpcode,

        /// <summary>A live frame whose sequence number goes backwards or repeats.</summary>
        OutOfOrder,

        /// <summary>Well framed but inconsistent (a frame count that does not match the length, an unknown kind).</summary>
        Inconsistent,
    }

    /// <summary>Counters the live view and the tests read. Updated from the link's thread.</summary>
    public sealed class LinkHealth
    {
        private readonly long[] _malformed = new long[6];
        private long _frames, _gaps, _lostFrames, _notifications, _disconnects;

        public long Frames => Interlocked.Read(ref _frames);

        /// <summary>Jumps in the live sequence (frames the device sent that never arrived).</summary>
        public long Gaps => Interlocked.Read(ref _gaps);
        public long LostFrames => Interlocked.Read(ref _lostFrames);
        public long Notifications => Interlocked.Read(ref _notifications);
        public long Disconnects => Interlocked.Read(ref _disconnects);

        public long Malformed(MalformedKind k) => Interlocked.Read(ref _malformed[(int)k]);

        public long MalformedTotal
        {
            get
            {
                long n = 0;
                for (int i = 0; i < _malformed.Length; i++) n += Interlocked.Read(ref _malformed[i]);
                return n;
            }
        }

        internal void CountNotification() => Interlocked.Increment(ref _notifications);
        internal void CountFrames(int n) => Interlocked.Add(ref _frames, n);
        internal void CountGap(int lost)
        {
            Interlocked.Increment(ref _gaps);
            Interlocked.Add(ref _lostFrames, lost);
        }
        internal void CountMalformed(MalformedKind k) => Interlocked.Increment(ref _malformed[(int)k]);
        internal void CountDisconnect() => Interlocked.Increment(ref _disconnects);
    }
}
