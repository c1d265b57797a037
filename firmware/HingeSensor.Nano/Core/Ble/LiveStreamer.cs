using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Ble
{
    /// <summary>
    /// Packs live frames into notifications sized to the negotiated MTU (LivePacket), sending a
    /// packet when it is full or its oldest frame is 60 ms old. When the BLE queue is full the packet
    /// is dropped and counted — the host sees the gap in the sequence numbers.
    /// </summary>
    public sealed class LiveStreamer
    {
        public const long MaxAgeUs = 60000;

        private readonly NotificationQueue _queue;
        private readonly byte[] _packet = new byte[NotificationQueue.MaxPayload];
        private int _kind = LivePacket.KindCompact;
        private int _perPacket = 1;
        private int _count;
        private int _position;
        private long _oldestUs;
        private int _sequence;

        public LiveStreamer(NotificationQueue queue) { _queue = queue; }

        /// <summary>Packets dropped because the link could not keep up.</summary>
        public int Dropped;

        /// <summary>
        /// When the waiting frames are due to go (<see cref="MaxAgeUs"/> after the oldest), or
        /// long.MaxValue with none waiting: a field the loop reads before it calls <see cref="Tick"/>,
        /// because on the device's interpreter a call that finds nothing costs ≈ 700 instructions a pass.
        /// </summary>
        public long DueUs = long.MaxValue;

        /// <summary>Frames handed to the queue.</summary>
        public int Sent;

        public void SetMtu(int mtu)
        {
            Flush();
            _kind = LivePacket.KindFor(mtu);
            _perPacket = LivePacket.FramesPerPacket(mtu);
            if (_perPacket < 1) _perPacket = 1;
        }

        public int NextSequence() { return _sequence++ & 0xFFFF; }

        public void Add(LiveSample frame, long nowUs)
        {
            if (_count == 0)
            {
                _position = LivePacket.HeaderBytes;
                _oldestUs = nowUs;
                DueUs = nowUs + MaxAgeUs;
            }
            _position = LivePacket.WriteFrame(_packet, _position, _kind, frame);
            _count++;
            if (_count >= _perPacket) Flush();
        }

        public void Tick(long nowUs)
        {
            if (_count > 0 && nowUs - _oldestUs >= MaxAgeUs) Flush();
        }

        public void Flush()
        {
            if (_count == 0) return;
            LivePacket.WriteHeader(_packet, 0, _kind, _count);
            byte[]? slot = _queue.ReserveBulk();
            if (slot == null) Dropped++;
            else
            {
                System.Array.Copy(_packet, 0, slot, 0, _position);
                _queue.Commit(GattCharacteristic.Live, _position);
                Sent += _count;
            }
            _count = 0;
            DueUs = long.MaxValue;
        }

        public void Reset()
        {
            _count = 0;
            DueUs = long.MaxValue;
        }
    }
}
