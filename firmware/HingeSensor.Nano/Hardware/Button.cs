using System.Device.Gpio;
using System.Threading;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// The one push button (to GND, internal pull-up), polled from the main loop rather than
    /// through pin-change events: the loop runs every 10 ms anyway, and polling allocates nothing
    /// and never lands on another thread. A press shorter than <see cref="LongPressUs"/> is
    /// <see cref="ButtonPress.Short"/> (on release); holding it that long is
    /// <see cref="ButtonPress.Long"/> (at once, so the wearer feels the answer while still holding).
    /// </summary>
    public sealed class Button
    {
        /// <summary>A level must hold this long to count: contact bounce of tact switches lasts 1-10 ms.</summary>
        public const long DebounceUs = 30000;

        public const long LongPressUs = 1500000;

        private readonly GpioPin _pin;
        private bool _raw;
        private long _rawSinceUs;
        private bool _pressed;
        private long _pressedAtUs;
        private bool _longSent;
        private bool _ignoreUntilReleased;

        public Button(GpioController gpio, int pin)
        {
            _pin = gpio.OpenPin(pin, PinMode.InputPullUp);
            _raw = _pressed = IsDown;
            // A press that was already there at power-on belongs to HeldAtBoot, not to the loop.
            _ignoreUntilReleased = _pressed;
        }

        public bool IsDown { get { return _pin.Read() == PinValue.Low; } }

        /// <summary>
        /// At boot only: true if the button is down now and stays down for <paramref name="ms"/>
        /// (blocks up to that long; returns at once when it is not pressed).
        /// </summary>
        public bool HeldAtBoot(int ms)
        {
            for (int waited = 0; waited < ms; waited += 20)
            {
                if (!IsDown) return false;
                Thread.Sleep(20);
            }
            return IsDown;
        }

        /// <summary>Call every loop pass; reports a short or long press to the core.</summary>
        public void Poll(long nowUs, DeviceCore core)
        {
            bool down = IsDown;
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
                    _longSent = false;
                }
                else if (_ignoreUntilReleased) _ignoreUntilReleased = false;
                else if (!_longSent) core.OnButton(ButtonPress.Short);
                return;
            }
            if (_pressed && !_longSent && !_ignoreUntilReleased && nowUs - _pressedAtUs >= LongPressUs)
            {
                _longSent = true;
                core.OnButton(ButtonPress.Long);
            }
        }
    }
}
