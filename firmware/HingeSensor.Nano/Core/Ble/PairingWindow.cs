using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Core.Ble
{
    /// <summary>What happened to the pairing window, for the wearer to feel (main loop).</summary>
    public enum PairingOutcome
    {
        None = 0,

        /// <summary>The wearer opened it: a fresh passkey is being played.</summary>
        Opened = 1,

        /// <summary>Not opened: the bond list is full (clear it with the power-on gesture).</summary>
        BondsFull = 2,

        /// <summary>A host paired with the passkey: the window is closed.</summary>
        Paired = 3,

        /// <summary>Closed without a pairing: time ran out, or the one attempt it allows failed.</summary>
        Closed = 4,
    }

    /// <summary>
    /// Who may pair, and with what passkey. Pairing is possible only inside a window the wearer
    /// opens with the button: for <see cref="DurationUs"/> the device accepts one pairing request
    /// and answers it with a passkey drawn for this window from the hardware random number
    /// generator — six digits from 1 to <see cref="HighestDigit"/>, which the motor plays as groups
    /// of pulses the wearer counts. Nothing the device sends or advertises reveals it.
    ///
    /// A request outside a window (or a second one inside it) is answered with <see cref="Refused"/>,
    /// which NimBLE will not take as a passkey (ble_sm_inject_io accepts 0–999999): no key can be
    /// agreed, and the pairing fails when the stack's 30 s security timer runs out. A link that was
    /// refused stays insecure for the rest of its connection, whatever it does next.
    ///
    /// The one attempt a window allows ends it, paired or not, and so does any encryption during the
    /// window that did not come from the passkey (a Just Works pairing by a host without a keyboard):
    /// a stranger racing the wearer gets one guess per window, and the wearer feels the window close.
    ///
    /// A window opens only while fewer than <see cref="MaxBonds"/> hosts are bonded, so the stack's
    /// store (3 bonds, which NimBLE makes room in by deleting the oldest bond as soon as a pairing
    /// request finds it full) is never full: nobody can push the owner's bond out.
    ///
    /// Threads: <see cref="Open"/> and <see cref="Tick"/> on the main loop;
    /// <see cref="OnPairingRequested"/>, <see cref="OnEncryptionChanged"/> and <see cref="OnLinkChanged"/>
    /// on the BLE thread; all state under one lock.
    /// </summary>
    public sealed class PairingWindow
    {
        public const long DurationUs = 60000000;

        /// <summary>After the window's time, how long an attempt already under way may still finish (NimBLE's SMP timeout).</summary>
        public const long AttemptGraceUs = 30000000;

        public const int Digits = 6;

        /// <summary>Digits run 1..5: five pulses are still counted without error while walking.</summary>
        public const int HighestDigit = 5;

        /// <summary>The answer to a pairing request that is not allowed: outside the passkey range, so no key can come of it.</summary>
        public const int Refused = 1000000;

        /// <summary>
        /// Bonds the device keeps: one fewer than NimBLE's BLE_STORE_MAX_BONDS (3 in the ESP-IDF
        /// configuration nanoFramework builds), because NimBLE checks for room when a pairing request
        /// arrives, before anything is agreed, and evicts the oldest bond if the store is full.
        /// </summary>
        public const int MaxBonds = 2;

        private readonly IRandomSource _random;
        private readonly IBondStore _bonds;
        private readonly object _lock = new object();
        private readonly int[] _digits = new int[Digits];
        private bool _open;
        private long _closesAtUs;
        private int _passkey;
        // The window's one request came and got the passkey; its outcome is not known yet.
        private bool _attemptPending;
        // This connection asked to pair when it was not allowed to.
        private bool _refusedOnLink;
        private PairingOutcome _outcome;
        private int _refusedRequests;
        private int _pairings;

        /// <summary>
        /// No window, no attempt, no outcome to feel: <see cref="Tick"/> would change nothing and
        /// <see cref="IsShowing"/> is false. A field read without the lock, so that the main loop's
        /// usual pass costs neither a call nor a lock (≈ 6,000 interpreter instructions a pass with
        /// both). Safe unlocked: only <see cref="Open"/>, on the main loop itself, leaves this state;
        /// the BLE thread's handlers change nothing while it holds. Written under the lock by every
        /// change.
        /// </summary>
        public bool Quiet = true;

        public PairingWindow(IRandomSource random, IBondStore bonds)
        {
            _random = random;
            _bonds = bonds;
        }

        /// <summary>Accepting its pairing request.</summary>
        public bool IsOpen { get { lock (_lock) return _open; } }

        /// <summary>The passkey is to be played: the window is open, or its attempt is still under way.</summary>
        public bool IsShowing { get { lock (_lock) return _open || _attemptPending; } }

        /// <summary>The current window's passkey (digits 1..5 in decimal), 0 when none was drawn yet.</summary>
        public int Passkey { get { lock (_lock) return _passkey; } }

        /// <summary>Digit <paramref name="i"/> (0 = first played) of the current passkey.</summary>
        public int Digit(int i) { lock (_lock) return _digits[i]; }

        /// <summary>Pairing requests answered with <see cref="Refused"/> since boot (outside a window, or a window's second).</summary>
        public int RefusedRequests { get { lock (_lock) return _refusedRequests; } }

        /// <summary>Pairings completed inside a window since boot.</summary>
        public int Pairings { get { lock (_lock) return _pairings; } }

        /// <summary>The wearer asks to pair (main loop): opens the window with a new passkey, unless the bond list is full.</summary>
        public PairingOutcome Open(long nowUs)
        {
            if (_bonds.Count >= MaxBonds) return PairingOutcome.BondsFull;
            lock (_lock)
            {
                int passkey = 0;
                for (int i = 0; i < Digits; i++)
                {
                    _digits[i] = 1 + _random.Next(HighestDigit);
                    passkey = passkey * 10 + _digits[i];
                }
                _passkey = passkey;
                _open = true;
                _attemptPending = false;
                _closesAtUs = nowUs + DurationUs;
                Settle();
                return PairingOutcome.Opened;
            }
        }

        /// <summary>
        /// Main loop: ends a window whose time is up (and an attempt that never finished), and
        /// returns what the wearer should feel since the last call (then None).
        /// </summary>
        public PairingOutcome Tick(long nowUs)
        {
            lock (_lock)
            {
                if (_open && !_attemptPending && nowUs >= _closesAtUs)
                {
                    _open = false;
                    _outcome = PairingOutcome.Closed;
                }
                else if (_attemptPending && nowUs >= _closesAtUs + AttemptGraceUs)
                {
                    _attemptPending = false;
                    _open = false;
                    _outcome = PairingOutcome.Closed;
                }
                PairingOutcome o = _outcome;
                _outcome = PairingOutcome.None;
                Settle();
                return o;
            }
        }

        /// <summary>
        /// The stack asks for the passkey to "display" (BLE thread): the window's passkey for its
        /// first request, <see cref="Refused"/> for any other.
        /// </summary>
        public int OnPairingRequested()
        {
            lock (_lock)
            {
                if (!_open || _attemptPending)
                {
                    _refusedOnLink = true;
                    _refusedRequests++;
                    return Refused;
                }
                _attemptPending = true;
                _open = false; // one attempt per window; the passkey keeps playing until it ends
                Settle();
                return _passkey;
            }
        }

        /// <summary>
        /// The link's encryption changed (BLE thread): <paramref name="authenticated"/> = encrypted
        /// with a key made by passkey entry (now, or stored with a bond). Returns whether the link
        /// may now carry the protected characteristics.
        /// </summary>
        public bool OnEncryptionChanged(bool authenticated)
        {
            lock (_lock)
            {
                if (_attemptPending)
                {
                    _attemptPending = false;
                    if (authenticated) _pairings++;
                    _outcome = authenticated ? PairingOutcome.Paired : PairingOutcome.Closed;
                    Settle();
                    return authenticated;
                }
                if (_refusedOnLink) return false;
                if (!authenticated && _open)
                {
                    // Encryption the window's passkey had no part in: a Just Works pairing (which
                    // NimBLE bonds while bonding is allowed) or a failed one. It uses up the window.
                    _open = false;
                    _outcome = PairingOutcome.Closed;
                    Settle();
                }
                return authenticated; // a bond made in an earlier window, re-encrypting the link
            }
        }

        /// <summary>A host connected or disconnected (BLE thread): an attempt cut off by it has failed.</summary>
        public void OnLinkChanged()
        {
            lock (_lock)
            {
                _refusedOnLink = false;
                if (_attemptPending)
                {
                    _attemptPending = false;
                    _outcome = PairingOutcome.Closed;
                    Settle();
                }
            }
        }

        /// <summary>Ends any window at once (the bonds were cleared under it).</summary>
        public void Close()
        {
            lock (_lock)
            {
                _open = false;
                _attemptPending = false;
                Settle();
            }
        }

        // Under the lock, after every change of the window, the attempt or the outcome.
        private void Settle()
        {
            Quiet = !_open && !_attemptPending && _outcome == PairingOutcome.None;
        }
    }
}
