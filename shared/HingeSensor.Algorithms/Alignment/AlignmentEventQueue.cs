namespace HingeSensor.Algorithms.Alignment
{
    /// <summary>
    /// A fixed ring of events between the monitor and whoever acts on them (haptics, recorder,
    /// BLE). Fixed so the per-sample path never allocates; when full, the oldest is dropped and
    /// counted.
    /// </summary>
    public sealed class AlignmentEventQueue
    {
        private readonly AlignmentEvent[] _items;
        private int _head;
        private int _count;

        public AlignmentEventQueue() : this(16) { }

        public AlignmentEventQueue(int capacity) { _items = new AlignmentEvent[capacity]; }

        public int Count { get { return _count; } }

        /// <summary>Events lost because nobody drained the queue in time.</summary>
        public int Dropped { get; private set; }

        public void Enqueue(ref AlignmentEvent e)
        {
            if (_count == _items.Length)
            {
                _head = (_head + 1) % _items.Length;
                _count--;
                Dropped++;
            }
            _items[(_head + _count) % _items.Length] = e;
            _count++;
        }

        public bool TryDequeue(out AlignmentEvent e)
        {
            if (_count == 0)
            {
                e = new AlignmentEvent();
                return false;
            }
            e = _items[_head];
            _head = (_head + 1) % _items.Length;
            _count--;
            return true;
        }

        public void Clear()
        {
            _head = 0;
            _count = 0;
        }
    }
}
