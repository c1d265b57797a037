namespace HingeSensor.Algorithms.Alignment
{
    /// <summary>
    /// A fixed ring of events between the monitor and whoever acts on them (haptics, recorder,
    /// BLE). The slots are allocated once and events are copied in and out field by field, so the
    /// per-sample path never allocates; when full, the oldest is dropped and counted.
    /// </summary>
    public sealed class AlignmentEventQueue
    {
        private readonly AlignmentEvent[] _items;
        private int _head;

        public AlignmentEventQueue() : this(16) { }

        public AlignmentEventQueue(int capacity)
        {
            _items = new AlignmentEvent[capacity];
            for (int i = 0; i < capacity; i++) _items[i] = new AlignmentEvent();
        }

        /// <summary>Queued, not yet dequeued. A field, not a property: the device's loop reads it at
        /// every sample before it asks for a event (a property read or a TryDequeue is a call on the
        /// interpreter, and nearly always finds nothing). Written only by the queue.</summary>
        public int Count;

        /// <summary>Events lost because nobody drained the queue in time.</summary>
        public int Dropped { get; private set; }

        public void Enqueue(AlignmentEventKind kind, Fault fault, float timeS, float onsetS, float alertS, float peakDeg)
        {
            if (Count == _items.Length)
            {
                _head = (_head + 1) % _items.Length;
                Count--;
                Dropped++;
            }
            AlignmentEvent e = _items[(_head + Count) % _items.Length];
            e.Kind = kind;
            e.Fault = fault;
            e.TimeS = timeS;
            e.OnsetS = onsetS;
            e.AlertS = alertS;
            e.PeakDeg = peakDeg;
            Count++;
        }

        /// <summary>Copies the oldest event into <paramref name="into"/> and removes it; false when empty.</summary>
        public bool TryDequeue(AlignmentEvent into)
        {
            if (Count == 0) return false;
            into.CopyFrom(_items[_head]);
            _head = (_head + 1) % _items.Length;
            Count--;
            return true;
        }

        public void Clear()
        {
            _head = 0;
            Count = 0;
        }
    }
}
