using HingeSensor.Algorithms.Sensing;
using HingeSensor.Nano.Core.Sampling;

namespace HingeSensor.Nano.Core.Imu
{
    /// <summary>
    /// A fixed ring of FIFO frames (accel xyz, gyro xyz, signed counts) with consecutive indices in
    /// the sensor's own sample sequence from <see cref="FirstIndex"/>, each with its clipping noted.
    /// Fixed so that draining never allocates. A frame is decoded once, when it arrives, and read
    /// twice (as the later and then the earlier neighbour of a grid time).
    /// </summary>
    /// <remarks>The interpolation lives here, beside the ring it reads, because on the device's
    /// interpreter a call per value or per property would cost more than the arithmetic.</remarks>
    public sealed class ImuFrameBuffer
    {
        public const int FrameBytes = 12;
        private const int AccelClipped = 1;
        private const int GyroClipped = 2;

        private readonly short[] _values;
        private readonly byte[] _clipped;
        private readonly int _capacity;
        private int _head;
        private int _count;
        private long _firstIndex;

        public ImuFrameBuffer(int capacity)
        {
            _capacity = capacity;
            _values = new short[capacity * 6];
            _clipped = new byte[capacity];
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
        /// Appends <paramref name="n"/> frames of <see cref="FrameBytes"/> each, as the FIFO gives
        /// them (big-endian), from <paramref name="source"/>; the first has sequence index
        /// <paramref name="index"/>. A first index that does not follow the newest frame (the
        /// chip's FIFO was reset) starts the ring over; when the ring is full the oldest frames go.
        /// </summary>
        public void AddRaw(long index, byte[] source, int offset, int n)
        {
            if (_count > 0 && index != _firstIndex + _count) Clear();
            if (_count == 0) _firstIndex = index;
            short[] v = _values;
            for (int f = 0; f < n; f++)
            {
                if (_count == _capacity)
                {
                    _head = (_head + 1) % _capacity;
                    _count--;
                    _firstIndex++;
                    Overwritten++;
                }
                int slot = (_head + _count) % _capacity;
                int b = offset + f * FrameBytes, k = slot * 6;
                // Six big-endian counts, written out rather than looped (the loop's own
                // bookkeeping would cost as much again on the interpreter).
                int a0 = (short)((source[b] << 8) | source[b + 1]), a1 = (short)((source[b + 2] << 8) | source[b + 3]);
                int a2 = (short)((source[b + 4] << 8) | source[b + 5]), g0 = (short)((source[b + 6] << 8) | source[b + 7]);
                int g1 = (short)((source[b + 8] << 8) | source[b + 9]), g2 = (short)((source[b + 10] << 8) | source[b + 11]);
                v[k] = (short)a0; v[k + 1] = (short)a1; v[k + 2] = (short)a2;
                v[k + 3] = (short)g0; v[k + 4] = (short)g1; v[k + 5] = (short)g2;
                // A channel at either rail is clipped: x + 32768 is then 65535 or 0, so
                // (x + 32767) & 0xFFFF is 65534 or 65535, and below that for every other count.
                int clipped = 0;
                if (((a0 + 32767) & 0xFFFF) >= 65534 || ((a1 + 32767) & 0xFFFF) >= 65534 || ((a2 + 32767) & 0xFFFF) >= 65534) clipped = AccelClipped;
                if (((g0 + 32767) & 0xFFFF) >= 65534 || ((g1 + 32767) & 0xFFFF) >= 65534 || ((g2 + 32767) & 0xFFFF) >= 65534) clipped |= GyroClipped;
                _clipped[slot] = (byte)clipped;
                _count++;
            }
        }

        /// <summary>Sequence index of the i-th oldest frame.</summary>
        public long IndexAt(int i) { return _firstIndex + i; }

        /// <summary>Channel c (0-2 accel, 3-5 gyro) of the i-th oldest frame, signed counts.</summary>
        public int At(int i, int c) { return _values[((_head + i) % _capacity) * 6 + c]; }

        public void DropOldest(int n)
        {
            if (n > _count) n = _count;
            _head = (_head + n) % _capacity;
            _count -= n;
            _firstIndex += n;
        }

        /// <summary>
        /// The reading at device time <paramref name="t"/>, linearly interpolated between the two
        /// frames around it as <paramref name="clock"/> dates them, scaled to SI units, into
        /// <paramref name="s"/>; clipped when either frame was. Frames before the earlier one are
        /// dropped. False (and s not present) when the frames do not bracket t: the later one has
        /// not arrived yet, or t lies before the oldest.
        /// </summary>
        public bool InterpolateAt(long t, SampleClock clock, float accelScale, float gyroScale, ImuSample s)
        {
            s.Present = false;
            int count = _count;
            if (count < 2) return false;
            long first = _firstIndex;
            // SampleClock.TimeOf(i) = anchorUs + (long)((i − anchorIndex) · period), written out:
            // three calls per sensor and sample on the interpreter otherwise.
            long anchorUs = clock._anchorUs, anchorIndex = clock._anchorIndex;
            float period = clock._periodUs;
            long t1 = anchorUs + (long)((first + 1 - anchorIndex) * period);
            if (t1 <= t)
            {
                // Drop the frames no longer needed, keeping the last one at or before t.
                int h0 = _head;
                while (t1 <= t && count >= 3)
                {
                    h0 = h0 + 1 == _capacity ? 0 : h0 + 1;
                    count--;
                    first++;
                    t1 = anchorUs + (long)((first + 1 - anchorIndex) * period);
                }
                _head = h0;
                _count = count;
                _firstIndex = first;
                if (t1 <= t) return false; // t is past the newest frame: the next has not arrived yet
            }
            long t0 = anchorUs + (long)((first - anchorIndex) * period);
            if (t0 > t || t1 <= t0) return false;
            float u = (float)(t - t0) / (t1 - t0);
            float w = 1f - u;
            int h = _head;
            int q = h + 1 == _capacity ? 0 : h + 1;
            short[] v = _values;
            int p = h * 6;
            int r = q * 6;
            float a = accelScale, g = gyroScale;
            s.AccelX = (w * v[p] + u * v[r]) * a;
            s.AccelY = (w * v[p + 1] + u * v[r + 1]) * a;
            s.AccelZ = (w * v[p + 2] + u * v[r + 2]) * a;
            s.GyroX = (w * v[p + 3] + u * v[r + 3]) * g;
            s.GyroY = (w * v[p + 4] + u * v[r + 4]) * g;
            s.GyroZ = (w * v[p + 5] + u * v[r + 5]) * g;
            int clipped = _clipped[h] | _clipped[q];
            s.AccelClipped = (clipped & AccelClipped) != 0;
            s.GyroClipped = (clipped & GyroClipped) != 0;
            s.Present = true;
            return true;
        }
    }
}
