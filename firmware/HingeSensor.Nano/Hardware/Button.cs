using System.Device.Gpio;
using System.Threading;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// The one push button (to GND, internal pull-up), polled from the main loop rather than
    /// through pin-change events: the loop runs every 10 ms anyway, and polling allocates nothing
    /// and never lands on another thread. What a press means (short, long, very long) is the core's
    /// <see cref="ButtonGesture"/>; this class only reads the pin.
    /// </summary>
    public sealed class Button
    {
        private readonly GpioPin _pin;
        private readonly ButtonGesture _gesture;

        public Button(GpioController gpio, int pin)
        {
            _pin = gpio.OpenPin(pin, PinMode.InputPullUp);
            // A press that is already there at power-on belongs to HeldAtBoot, not to the loop.
            _gesture = new ButtonGesture(IsDown);
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

        /// <summary>Call every loop pass: tells the core what the wearer did.</summary>
        public void Poll(long nowUs, DeviceCore core) { _gesture.Poll(nowUs, IsDown, core); }
    }
}
