namespace HingeSensor.Nano.Core.Imu
{
    /// <summary>
    /// A fixed ring of raw FIFO frames (accel xyz, gyro xyz counts) with the index each frame has
    /// in the sensor's own sample sequence. Fixed so that draining never allocates.
    /// </summary>
    public sealed class ImuFrameBuffer
    {
        private readonly short[] _data;
        private readonly long[] _index;
        private readonly int _capacity;
        private int _head;
        private int _count;

        public ImuFrameBuffer(int capacity)
        {
            _capacity = capacity;
            _data = new short[capacity * 6];
            _index = new long[capacity];
        }

        public int Count { get { return _count; } }
        public int Capacity { get { return _capacity; } }

        /// <summary>Frames pushed out unread because the ring was full.</summary>
        public int Overwritten;

        public void Clear()
        {
            _head = 0;
            _count = 0;
        }

        public void Add(long index, int ax, int ay, int az, int gx, int gy, int gz)
        {
            if (_count == _capacity)
            {
                _head = (_head + 1) % _capacity;
                _count--;
                Overwritten++;
            }
            int slot = (_head + _count) % _capacity;
            int b = slot * 6;
            _data[b] = (short)ax;
            _data[b + 1] = (short)ay;
            _data[b + 2] = (short)az;
            _data[b + 3] = (short)gx;
            _data[b + 4] = (short)gy;
            _data[b + 5] = (short)gz;
            _index[slot] = index;
            _count++;
        }

        /// <summary>Sequence index of the i-th oldest frame.</summary>
        public long IndexAt(int i) { return _index[(_head + i) % _capacity]; }

        /// <summary>The raw counts, six per slot (accel xyz, gyro xyz); a frame starts at <see cref="OffsetOf"/>.</summary>
        public short[] Data { get { return _data; } }

        /// <summary>Where the i-th oldest frame starts in <see cref="Data"/>.</summary>
        public int OffsetOf(int i) { return ((_head + i) % _capacity) * 6; }

        /// <summary>Channel c (0-2 accel, 3-5 gyro) of the i-th oldest frame, raw counts.</summary>
        public int At(int i, int c) { return _data[((_head + i) % _capacity) * 6 + c]; }

        public void DropOldest(int n)
        {
            if (n > _count) n = _count;
            _head = (_head + n) % _capacity;
            _count -= n;
        }
    }
}
