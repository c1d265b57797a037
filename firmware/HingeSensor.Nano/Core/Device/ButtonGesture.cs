namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// The button's language, from its level over time (polled every loop pass):
    /// <list type="bullet">
    /// <item>released before <see cref="LongUs"/>: <see cref="ButtonPress.Short"/> (calibrate);</item>
    /// <item>at <see cref="LongUs"/> while held: <see cref="ButtonPress.LongReached"/> (a tick to feel);
    /// released before <see cref="VeryLongUs"/>: <see cref="ButtonPress.Long"/> (start/stop recording);</item>
    /// <item>at <see cref="VeryLongUs"/> while held: <see cref="ButtonPress.VeryLong"/> (opens the pairing
    /// window at once, felt while still holding; the release then does nothing).</item>
    /// </list>
    /// Recording waits for the release so that a hold on its way to the pairing window does not
    /// start a recording too. A press already there when the device started belongs to the
    /// power-on gesture (forget every bonded host) and is ignored until released.
    /// </summary>
    public sealed class ButtonGesture
    {
        /// <summary>A level must hold this long to count: contact bounce of tact switches lasts 1-10 ms.</summary>
        public const long DebounceUs = 30000;

        public const long LongUs = 1500000;
        public const long VeryLongUs = 4000000;

        private bool _raw;
        private long _rawSinceUs;
        private bool _pressed;
        private long _pressedAtUs;
        // 0: short so far; 1: past the long mark; 2: very long, already acted on.
        private int _stage;
        private bool _ignoreUntilReleased;

        /// <param name="downAtStart">The button's level when the device started.</param>
        public ButtonGesture(bool downAtStart)
        {
            _raw = _pressed = downAtStart;
            _ignoreUntilReleased = downAtStart;
        }

        /// <summary>Call every loop pass with the button's level; tells the core what the wearer did.</summary>
        public void Poll(long nowUs, bool down, DeviceCore core)
        {
            if (down != _raw)
            {
                _raw = down;
                _rawSinceUs = nowUs;
                return;
            }
            if (down != _pressed && nowUs - _rawSinceUs >= DebounceUs)
            {
                _pressed = down;
                if (down)
                {
                    _pressedAtUs = nowUs;
                    _stage = 0;
                }
                else if (_ignoreUntilReleased) _ignoreUntilReleased = false;
                else if (_stage == 0) core.OnButton(ButtonPress.Short);
                else if (_stage == 1) core.OnButton(ButtonPress.Long);
                return;
            }
            if (!_pressed || _ignoreUntilReleased) return;
            long held = nowUs - _pressedAtUs;
            if (_stage == 0 && held >= LongUs)
            {
                _stage = 1;
                core.OnButton(ButtonPress.LongReached);
            }
            else if (_stage == 1 && held >= VeryLongUs)
            {
                _stage = 2;
                core.OnButton(ButtonPress.VeryLong);
            }
        }
    }
}
