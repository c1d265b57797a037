using System.Collections.Generic;
using HingeSensor.Nano.Core.Haptics;

namespace HingeSensor.VirtualDevice.Models
{
    /// <summary>The vibration motor, remembered: every duty change with its time, so tests can read the buzzes back.</summary>
    public sealed class MotorLog : IMotor
    {
        // Sized up front: the motor is called from inside the firmware's tick, which must not allocate.
        private readonly List<(double TimeS, float Duty)> _changes = new(1 << 16);

        /// <summary>The rig sets the time before each device tick.</summary>
        public double NowS;

        public float Duty { get; private set; }

        public IReadOnlyList<(double TimeS, float Duty)> Changes => _changes;

        public void SetDuty(float duty)
        {
            Duty = duty;
            _changes.Add((NowS, duty));
        }

        /// <summary>Pulses (on-periods) as start time and length, s.</summary>
        public List<(double StartS, double LengthS)> Pulses()
        {
            var pulses = new List<(double, double)>();
            double? on = null;
            foreach (var (t, d) in _changes)
            {
                if (d > 0 && on == null) on = t;
                else if (d == 0 && on is double s)
                {
                    pulses.Add((s, t - s));
                    on = null;
                }
            }
            return pulses;
        }
    }

    /// <summary>A LiPo that discharges slowly from full.</summary>
    public sealed class BatteryModel : HingeSensor.Nano.Core.Device.IBattery
    {
        public int Millivolts { get; set; } = 4100;
        public bool Charging { get; set; }
    }
}
