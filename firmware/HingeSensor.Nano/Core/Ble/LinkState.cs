using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Ble
{
    /// <summary>
    /// The BLE link as the main loop sees it: connected, secure, subscribed, its MTU. The stack
    /// reports on its own thread while the loop runs, so its events only record what happened
    /// (under a lock), and the loop takes them in at the start of its next pass
    /// (<see cref="TakeEvents"/>); the control point's requests are handed over the same way.
    /// </summary>
    public sealed class LinkState
    {
        // What TakeEvents found: bits, several may come in one pass.

        /// <summary>A host connected (after <see cref="Ended"/> when it replaced one in the same pass).</summary>
        public const int Started = 1;

        /// <summary>The link the loop knew is over: whatever it had going stops.</summary>
        public const int Ended = 2;

        /// <summary>The link became secure: the peer could not hear the protected notifications before.</summary>
        public const int Secured = 4;

        /// <summary>A new MTU is in force (<see cref="Mtu"/>).</summary>
        public const int MtuChanged = 8;

        /// <summary>The host (re)subscribed to the battery level: it should hear it once.</summary>
        public const int BatteryResubscribed = 16;

        private readonly NotificationQueue _notifications;
        private readonly ControlPoint _control;
        private readonly object _lock = new object();
        private bool _pendingConnect, _pendingDisconnect;
        /// <summary>
        /// The BLE thread reported something since the last <see cref="TakeEvents"/>. Set (under
        /// the lock) whenever one of the pending fields is: the loop looks at this first and takes
        /// the lock only when there is something to take in (a lock is two native calls and a
        /// try/finally per pass on the interpreter, for news that comes a few times a session).
        /// Public, read without the lock (a hint that may lag by a pass), so that the main loop's
        /// usual pass does not even call <see cref="TakeEvents"/>.
        /// </summary>
        public bool EventsPending;
        private int _pendingMtu;
        private int _pendingSubscribe, _pendingUnsubscribe;
        // The link may carry the protected characteristics: set by security events on the BLE
        // thread, read there by control writes and reads; under _lock.
        private bool _secureNow;
        // The link became secure since the loop last looked.
        private bool _pendingSecured;

        public LinkState(NotificationQueue notifications, ControlPoint control)
        {
            _notifications = notifications;
            _control = control;
        }

        // The link as the loop last took it in. Fields rather than properties, written only by
        // TakeEvents: the per-sample path reads them, and a property read is a call.

        /// <summary>A host is connected (main loop's view).</summary>
        public bool Connected;

        public bool LiveSubscribed;
        public bool StatusSubscribed;
        public bool BatterySubscribed;

        /// <summary>The negotiated ATT MTU, within what the notification buffers hold.</summary>
        public int Mtu = GattIds.MinimumMtu;

        // --- The BLE thread's side. ---

        public void OnConnected(int mtu)
        {
            lock (_lock)
            {
                _pendingConnect = true;
                _pendingDisconnect = false;
                _pendingMtu = mtu;
                EventsPending = true;
                _secureNow = false;
                _pendingSecured = false;
                // The new host starts with empty queues: nothing in them is for it (events and
                // requests of the old link, whose disconnect may fall in the same loop pass as
                // this connect). Cleared here, before this host can write its first request; the
                // loop holds that request back until it has taken the connect in (TakeRequest).
                _notifications.Clear();
                _notifications.LinkSecure = false;
                _control.Clear();
            }
        }

        public void OnMtuChanged(int mtu)
        {
            lock (_lock)
            {
                _pendingMtu = mtu;
                EventsPending = true;
            }
        }

        public void OnDisconnected()
        {
            lock (_lock)
            {
                _pendingDisconnect = true;
                _pendingConnect = false;
                EventsPending = true;
                _secureNow = false;
                _pendingSecured = false;
                _notifications.LinkSecure = false;
            }
        }

        /// <summary>
        /// The link may now carry the protected characteristics, or no longer: the pairing
        /// window's verdict on an encryption change (<see cref="PairingWindow.OnEncryptionChanged"/>).
        /// </summary>
        public void OnSecurityChanged(bool secure)
        {
            lock (_lock)
            {
                if (secure && !_secureNow)
                {
                    _pendingSecured = true;
                    EventsPending = true;
                }
                _secureNow = secure;
                _notifications.LinkSecure = secure;
            }
        }

        public void OnSubscribe(GattCharacteristic c, bool on)
        {
            lock (_lock)
            {
                int bit = 1 << (int)c;
                EventsPending = true;
                if (on)
                {
                    _pendingSubscribe |= bit;
                    _pendingUnsubscribe &= ~bit;
                }
                else
                {
                    _pendingUnsubscribe |= bit;
                    _pendingSubscribe &= ~bit;
                }
            }
        }

        /// <summary>The control characteristic's requests and answers.</summary>
        public ControlPoint Control { get { return _control; } }

        /// <summary>A write on the control characteristic: checked and queued (see <see cref="ControlPoint"/>).</summary>
        public void OnControlWrite(byte[] data, int length)
        {
            bool secure;
            lock (_lock) secure = _secureNow;
            _control.OnWrite(data, length, secure);
        }

        /// <summary>The link may carry the protected characteristics now (BLE thread: reads).</summary>
        public bool Secure
        {
            get { lock (_lock) return _secureNow; }
        }

        // --- The main loop's side. ---

        /// <summary>Takes in what the stack reported since the last pass; returns what changed (<see cref="Started"/>, <see cref="Ended"/>, ... bits), 0 for nothing.</summary>
        public int TakeEvents()
        {
            if (!EventsPending) return 0;
            bool connect, disconnect, secured;
            int mtu, subscribe, unsubscribe;
            lock (_lock)
            {
                EventsPending = false;
                secured = _pendingSecured;
                _pendingSecured = false;
                connect = _pendingConnect;
                disconnect = _pendingDisconnect;
                mtu = _pendingMtu;
                subscribe = _pendingSubscribe;
                unsubscribe = _pendingUnsubscribe;
                _pendingConnect = false;
                _pendingDisconnect = false;
                _pendingMtu = 0;
                _pendingSubscribe = 0;
                _pendingUnsubscribe = 0;
                if (disconnect && Connected)
                {
                    // Under the lock: a host connecting right after must not lose its first
                    // request to this clear.
                    _notifications.Clear();
                    _control.Clear();
                }
            }
            int change = 0;
            if (disconnect && Connected)
            {
                Connected = false;
                change |= Forget();
            }
            if (connect)
            {
                // Whatever the old link had going is over, even if its disconnect and this
                // connect fell in one pass (then only the connect shows).
                if (Connected) change |= Forget();
                Connected = true;
                change |= Started;
            }
            if (!Connected) return change;
            if (secured) change |= Secured;
            if (mtu > 0)
            {
                int max = NotificationQueue.MaxPayload + GattIds.AttNotifyOverhead;
                Mtu = mtu < GattIds.MinimumMtu ? GattIds.MinimumMtu : mtu > max ? max : mtu;
                change |= MtuChanged;
            }
            if ((subscribe & (1 << (int)GattCharacteristic.Live)) != 0) LiveSubscribed = true;
            if ((subscribe & (1 << (int)GattCharacteristic.Status)) != 0) StatusSubscribed = true;
            if ((subscribe & (1 << (int)GattCharacteristic.BatteryLevel)) != 0)
            {
                BatterySubscribed = true;
                change |= BatteryResubscribed;
            }
            if ((unsubscribe & (1 << (int)GattCharacteristic.Live)) != 0) LiveSubscribed = false;
            if ((unsubscribe & (1 << (int)GattCharacteristic.Status)) != 0) StatusSubscribed = false;
            if ((unsubscribe & (1 << (int)GattCharacteristic.BatteryLevel)) != 0) BatterySubscribed = false;
            return change;
        }

        private int Forget()
        {
            LiveSubscribed = false;
            StatusSubscribed = false;
            BatterySubscribed = false;
            return Ended;
        }

        /// <summary>
        /// The next waiting request into <paramref name="into"/>, unless a host has connected since
        /// this pass took in the link events: its requests wait for the next pass, so that they
        /// never run against the old link's state (and are not cleared with it).
        /// </summary>
        public bool TakeRequest(byte[] into, out int length)
        {
            // Nothing written: no lock (the count is read again under it below).
            if (_control.Waiting == 0)
            {
                length = 0;
                return false;
            }
            lock (_lock)
            {
                if (_pendingConnect)
                {
                    length = 0;
                    return false;
                }
                return _control.TryTake(into, out length);
            }
        }
    }
}
