namespace HingeSensor.Nano.Core.Imu
{
    /// <summary>
    /// A fixed ring of FIFO frames, kept as the chip sends them: 12 bytes each, accel xyz then
    /// gyro xyz, big-endian signed counts. Frames in the ring have consecutive indices in the
    /// sensor's own sample sequence, from <see cref="FirstIndex"/>. Fixed so that draining never
    /// allocates; raw so that a drain is one block copy per burst (on the device's interpreter a
    /// call per value would cost more than the whole interpolation that reads them).
    /// </summary>
    public sealed class ImuFrameBuffer
    {
        public const int FrameBytes = 12;

        private readonly byte[] _raw;
        private readonly int _capacity;
        private int _head;
        private int _count;
        private long _firstIndex;

        public ImuFrameBuffer(int capacity)
        {
            _capacity = capacity;
            _raw = new byte[capacity * FrameBytes];
        }

        public int Count { get { return _count; } }
        public int Capacity { get { return _capacity; } }

        /// <summary>Sequence index of the oldest frame.</summary>
        public long FirstIndex { get { return _firstIndex; } }

        /// <summary>Frames pushed out unread because the ring was full.</summary>
        public int Overwritten;

        public void Clear()
        {
            _head = 0;
            _count = 0;
        }

        /// <summary>
        /// Appends <paramref name="n"/> frames of <see cref="FrameBytes"/> each from
        /// <paramref name="source"/>, the first with sequence index <paramref name="index"/>. A
        /// first index that does not follow the newest frame (the chip's FIFO was reset) starts
        /// the ring over; when the ring is full the oldest frames go.
        /// </summary>
        public void AddRaw(long index, byte[] source, int offset, int n)
        {
            if (_count > 0 && index != _firstIndex + _count) Clear();
            if (_count == 0) _firstIndex = index;
            for (int done = 0; done < n;)
            {
                if (_count == _capacity)
                {
                    _head = (_head + 1) % _capacity;
                    _count--;
                    _firstIndex++;
                    Overwritten++;
                }
                // As many frames as fit before the end of the array and the free room, in one copy.
                int slot = (_head + _count) % _capacity;
                int run = n - done;
                if (run > _capacity - slot) run = _capacity - slot;
                if (run > _capacity - _count) run = _capacity - _count;
                System.Array.Copy(source, offset + done * FrameBytes, _raw, slot * FrameBytes, run * FrameBytes);
                _count += run;
                done += run;
            }
        }

        /// <summary>The raw bytes; the i-th oldest frame starts at <see cref="OffsetOf"/>(i).</summary>
        public byte[] Raw { get { return _raw; } }

        /// <summary>Where the i-th oldest frame starts in <see cref="Raw"/>.</summary>
        public int OffsetOf(int i) { return ((_head + i) % _capacity) * FrameBytes; }

        /// <summary>Sequence index of the i-th oldest frame.</summary>
        public long IndexAt(int i) { return _firstIndex + i; }

        /// <summary>Channel c (0-2 accel, 3-5 gyro) of the i-th oldest frame, signed counts.</summary>
        public int At(int i, int c)
        {
            int b = OffsetOf(i) + 2 * c;
            int v = (_raw[b] << 8) | _raw[b + 1];
            return v >= 0x8000 ? v - 0x10000 : v;
        }

        public void DropOldest(int n)
        {
            if (n > _count) n = _count;
            _head = (_head + n) % _capacity;
            _count -= n;
            _firstIndex += n;
        }
    }
}
