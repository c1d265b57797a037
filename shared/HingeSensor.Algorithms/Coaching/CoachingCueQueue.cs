namespace HingeSensor.Algorithms.Coaching
{
    /// <summary>
    /// A fixed ring of cues between the coach and whoever acts on them (haptics, recorder, BLE);
    /// slots allocated once, copied in and out, the oldest dropped and counted when full.
    /// </summary>
    public sealed class CoachingCueQueue
    {
        private readonly CoachingCueEvent[] _items;
        private int _head;
        private int _count;

        public CoachingCueQueue(int capacity)
        {
            _items = new CoachingCueEvent[capacity];
            for (int i = 0; i < capacity; i++) _items[i] = new CoachingCueEvent();
        }

        public int Count { get { return _count; } }

        /// <summary>Cues lost because nobody drained the queue in time.</summary>
        public int Dropped { get; private set; }

        public void Enqueue(CoachingCue cue, float timeS, int rep, float value)
        {
            if (_count == _items.Length)
            {
                _head = (_head + 1) % _items.Length;
                _count--;
                Dropped++;
            }
            CoachingCueEvent e = _items[(_head + _count) % _items.Length];
            e.Cue = cue;
            e.TimeS = timeS;
            e.Rep = rep;
            e.Value = value;
            _count++;
        }

        /// <summary>Copies the oldest cue into <paramref name="into"/> and removes it; false when empty.</summary>
        public bool TryDequeue(CoachingCueEvent into)
        {
            if (_count == 0) return false;
            into.CopyFrom(_items[_head]);
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
