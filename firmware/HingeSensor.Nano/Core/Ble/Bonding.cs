using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Haptics;

namespace HingeSensor.Nano.Core.Ble
{
    /// <summary>
    /// The pairing window as the wearer meets it (docs/protocol.md §4): a very long press opens
    /// it, the motor plays its passkey for as long as it shows, and says when a host paired or the
    /// window closed; the power-on gesture forgets every bonded host. <see cref="PairingWindow"/>
    /// decides who may pair; this part is its hands and voice on the main loop.
    /// </summary>
    public sealed class Bonding
    {
        private readonly PairingWindow _window;
        private readonly HapticEngine _haptics;
        // The bond store, the flash and the storage root, as the glue handed them over.
        private readonly DeviceParts _parts;
        // The window's passkey as the motor plays it, made when the window opens.
        private readonly int[] _rhythm = new int[HapticRhythm.MaxPasskeyRhythm];
        private int _rhythmLength;

        public Bonding(PairingWindow window, HapticEngine haptics, DeviceParts parts)
        {
            _window = window;
            _haptics = haptics;
            _parts = parts;
        }

        public PairingWindow Window { get { return _window; } }

        /// <summary>
        /// True until the bonds were cleared once under this pairing scheme: bonds made by earlier
        /// firmware (a passkey derived from the serial) are not to be trusted.
        /// </summary>
        public bool BondsPredateWindows { get { return _parts.Files.Length(EpochPath()) < 0; } }

        /// <summary>The wearer held the button to the very long mark.</summary>
        public void Open(long nowUs)
        {
            if (_window.IsShowing) return; // holding again while it is open changes nothing
            if (_window.Open(nowUs) == PairingOutcome.BondsFull)
            {
                _haptics.Play(HapticPattern.BondsFull, nowUs);
                return;
            }
            var digits = new int[PairingWindow.Digits]; // a few times a device's life: not worth keeping
            for (int i = 0; i < PairingWindow.Digits; i++) digits[i] = _window.Digit(i);
            _rhythmLength = HapticRhythm.Passkey(digits, PairingWindow.Digits, _rhythm);
            _haptics.Play(HapticPattern.PairingOpened, nowUs);
        }

        /// <summary>
        /// Main loop, after the haptics' own tick: the window's time, what the wearer should feel,
        /// and the passkey repeated while the window shows (it owns the motor then: a coaching
        /// pattern that slips in as a repetition ends is cut short in the same pass, before
        /// anything is felt).
        /// </summary>
        public void Tick(long nowUs)
        {
            // Nearly always: no window, nothing to play (a field, not the window's locked calls).
            if (_window.Quiet) return;
            PairingOutcome o = _window.Tick(nowUs);
            if (o == PairingOutcome.Paired) _haptics.Play(HapticPattern.Paired, nowUs);
            else if (o == PairingOutcome.Closed) _haptics.Play(HapticPattern.PairingClosed, nowUs);
            HapticPattern playing = _haptics.Playing;
            if (_window.IsShowing && playing != HapticPattern.PairingOpened && playing != HapticPattern.PairingPasskey)
                _haptics.PlayRhythm(HapticPattern.PairingPasskey, _rhythm, _rhythmLength, nowUs);
        }

        /// <summary>Forgets every bonded host (the power-on gesture), with the wearer's confirmation buzz.</summary>
        public void Clear(long nowUs)
        {
            _window.Close();
            _parts.Bonds.Clear();
            _parts.Files.Write(EpochPath(), new byte[] { 2 }, 0, 1);
            _haptics.Play(HapticPattern.BondsCleared, nowUs);
        }

        // Written when the bonds are cleared: bonds older than it were made without a pairing
        // window. Made when asked (at boot and at a power-on gesture), not kept on the heap.
        private string EpochPath() { return _parts.StorageRoot + "pairing.v2"; }
    }
}
