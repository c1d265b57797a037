using System.Device.Pwm;
using HingeSensor.Nano.Core.Haptics;
using nanoFramework.Hardware.Esp32;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// The ERM coin motor behind a logic-level N-MOSFET, driven by one LEDC PWM channel. The
    /// patterns and intensity are the core's (Haptics/HapticEngine); this only sets the duty.
    /// </summary>
    public sealed class PwmMotor : IMotor
    {
        /// <summary>
        /// Carrier frequency. 20 kHz is above hearing, so the motor does not whine; the ERM's
        /// inductance and inertia average it into a DC level. The LEDC still has ~11 bits of duty
        /// resolution at this frequency, far more than a motor can resolve.
        /// </summary>
        public const int CarrierHz = 20000;

        private readonly PwmChannel? _pwm;
        private bool _running;

        public PwmMotor(int pin)
        {
            // The ESP32 PWM driver finds a channel through the device map: route the pin first.
            Configuration.SetPinFunction(pin, DeviceFunction.PWM1);
            _pwm = PwmChannel.CreateFromPin(pin, CarrierHz, 0);
        }

        /// <summary>False when no PWM channel could be had for the pin: the device then coaches silently.</summary>
        public bool Available { get { return _pwm != null; } }

        public void SetDuty(float duty)
        {
            if (_pwm == null) return;
            if (duty <= 0f)
            {
                // Stop() parks the pin at its idle level (low for ActiveHigh): motor off, no carrier.
                if (_running) _pwm.Stop();
                _running = false;
                return;
            }
            _pwm.DutyCycle = duty >= 1f ? 1.0 : duty;
            if (!_running) _pwm.Start();
            _running = true;
        }
    }
}
