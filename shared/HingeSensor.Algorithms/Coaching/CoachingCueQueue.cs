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

        public CoachingCueQueue(int capacity)
        {
            _items = new CoachingCueEvent[capacity];
            for (int i = 0; i < capacity; i++) _items[i] = new CoachingCueEvent();
        }

        /// <summary>Queued, not yet dequeued. A field, not a property: the device's loop reads it at
        /// every sample before it asks for a cue (a property read or a TryDequeue is a call on the
        /// interpreter, and nearly always finds nothing). Written only by the queue.</summary>
        public int Count;

        /// <summary>Cues lost because nobody drained the queue in time.</summary>
        public int Dropped { get; private set; }

        public void Enqueue(CoachingCue cue, float timeS, int rep, float value)
        {
            if (Count == _items.Length)
            {
                _head = (_head + 1) % _items.Length;
                Count--;
                Dropped++;
            }
            CoachingCueEvent e = _items[(_head + Count) % _items.Length];
            e.Cue = cue;
            e.TimeS = timeS;
            e.Rep = rep;
            e.Value = value;
            Count++;
        }

        /// <summary>Copies the oldest cue into <paramref name="into"/> and removes it; false when empty.</summary>
        public bool TryDequeue(CoachingCueEvent into)
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
