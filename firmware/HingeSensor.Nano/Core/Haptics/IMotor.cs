namespace HingeSensor.Nano.Core.Haptics
{
    /// <summary>The vibration motor: a PWM channel driving an ERM through a MOSFET on the device.</summary>
    public interface IMotor
    {
        /// <summary>0 = off, 1 = full strength.</summary>
        void SetDuty(float duty);
    }
}
