namespace HingeSensor.Nano.Core.Ble
{
    /// <summary>
    /// Notifications waiting for the BLE stack, in order, in fixed buffers (no allocation). The
    /// main loop fills it; the BLE glue drains it. Locked because on the device the two run on
    /// different threads.
    ///
    /// It is also the one gate for everything the device sends: while the link is not secure
    /// (<see cref="LinkSecure"/>: encrypted with a bonded or just-paired authenticated key) only the
    /// battery level is taken in, and the control point's refusals (<see cref="CommitToAnyLink"/>);
    /// the rest — live frames, status, config, events, answers, session data — is dropped and
    /// counted in <see cref="Withheld"/>. Subscribing costs a stranger nothing and gains it nothing:
    /// NimBLE lets anyone write a CCCD.
    /// </summary>
    public sealed class NotificationQueue
    {
        /// <summary>Largest ATT MTU we negotiate (BLE 4.2+ data length): payload MTU − 3.</summary>
        public const int MaxPayload = 244;

        /// <summary>
        /// Slots that bulk traffic (live frames, session data) leaves free. A host waits for the
        /// answer to each request and gives up after a timeout; a live stream or a download that
        /// filled the queue would otherwise make those answers, and events, wait in vain.
        /// </summary>
        public const int ControlReserve = 4;

        private readonly byte[][] _buffers;
        private readonly int[] _lengths;
        private readonly GattCharacteristic[] _targets;
        private readonly object _lock = new object();
        private int _head;
        private int _count;
        // Counts clears: a buffer reserved before a clear is not committed after it (its slot
        // may no longer be the one Commit would fill).
        private int _epoch;
        private int _reservedEpoch;
        private bool _linkSecure;
        private int _withheld;

        public NotificationQueue(int capacity)
        {
            _buffers = new byte[capacity][];
            _lengths = new int[capacity];
            _targets = new GattCharacteristic[capacity];
            for (int i = 0; i < capacity; i++) _buffers[i] = new byte[MaxPayload];
        }

        public int Capacity { get { return _buffers.Length; } }

        public int Count
        {
            get { lock (_lock) return _count; }
        }

        public int Free
        {
            get { lock (_lock) return _buffers.Length - _count; }
        }

        /// <summary>The link may carry the protected characteristics (set by the core on security events).</summary>
        public bool LinkSecure
        {
            get { lock (_lock) return _linkSecure; }
            set { lock (_lock) _linkSecure = value; }
        }

        /// <summary>Notifications dropped because the link was not secure, since boot.</summary>
        public int Withheld
        {
            get { lock (_lock) return _withheld; }
        }

        /// <summary>Reserves the next buffer to write into; null when full. Finish with <see cref="Commit"/>.</summary>
        public byte[]? Reserve() { return Reserve(0); }

        /// <summary>As <see cref="Reserve()"/>, for bulk traffic: null unless more than <see cref="ControlReserve"/> slots are free.</summary>
        public byte[]? ReserveBulk() { return Reserve(ControlReserve); }

        /// <summary>The next buffer, if more than <paramref name="keepFree"/> slots are free (one lock: a caller need not ask <see cref="Free"/> first).</summary>
        public byte[]? Reserve(int keepFree)
        {
            lock (_lock)
            {
                if (_buffers.Length - _count <= keepFree) return null;
                _reservedEpoch = _epoch;
                return _buffers[(_head + _count) % _buffers.Length];
            }
        }

        /// <summary>Queues the reserved buffer, if the link may carry it (see the class summary).</summary>
        public void Commit(GattCharacteristic target, int length)
        {
            Commit(target, length, target == GattCharacteristic.BatteryLevel);
        }

        /// <summary>Queues the reserved buffer whatever the link's security: only for answers that reveal nothing (InsufficientSecurity).</summary>
        public void CommitToAnyLink(GattCharacteristic target, int length)
        {
            Commit(target, length, true);
        }

        private void Commit(GattCharacteristic target, int length, bool open)
        {
            lock (_lock)
            {
                if (_reservedEpoch != _epoch) return; // cleared meanwhile: it was for a link that is gone
                if (!open && !_linkSecure)
                {
                    _withheld++;
                    return;
                }
                int slot = (_head + _count) % _buffers.Length;
                _targets[slot] = target;
                _lengths[slot] = length;
                _count++;
            }
        }

        /// <summary>Copies the oldest notification into <paramref name="into"/>; false when empty.</summary>
        public bool TryDequeue(byte[] into, out GattCharacteristic target, out int length)
        {
            lock (_lock)
            {
                if (_count == 0)
                {
                    target = GattCharacteristic.None;
                    length = 0;
                    return false;
                }
                target = _targets[_head];
                length = _lengths[_head];
                System.Array.Copy(_buffers[_head], 0, into, 0, length);
                _head = (_head + 1) % _buffers.Length;
                _count--;
                return true;
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _head = 0;
                _count = 0;
                _epoch++;
            }
        }
    }
}
