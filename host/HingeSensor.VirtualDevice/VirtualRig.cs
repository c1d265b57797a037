using System;
using System.Collections.Generic;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Imu;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Simulation;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.VirtualDevice.Link;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.VirtualDevice
{
    /// <summary>
    /// The firmware core on a simulated body: a scenario's wearer moves, three register-level
    /// MPU6050 models feel it (each on its own clock), the core drains them through its real driver
    /// every loop tick, and writes to a flash model and a logged motor. Time is simulated: an hour
    /// runs in well under a minute.
    /// </summary>
    public sealed class VirtualRig
    {
        /// <summary>The device's main-loop period.</summary>
        public const long LoopUs = 10000;

        private readonly SensorTruth[] _truth = new SensorTruth[3];
        private long _ms;

        public VirtualRig(Scenario scenario, int seed, FlashModel? flash = null, DeviceIdentity? identity = null, IFileStore? files = null, IRandomSource? random = null)
        {
            Simulation = new WearerSimulation(scenario, seed);
            var rng = new Random(seed * 7919 + 1);
            Imus = new Mpu6050RegisterModel[3];
            for (int i = 0; i < 3; i++)
                Imus[i] = new Mpu6050RegisterModel(rng.Next(), scenario.Sensors.ClockErrorPpmSd, scenario.Sensors.Imperfect);
            Flash = flash ?? new FlashModel();
            Files = files ?? Flash;
            Motor = new MotorLog();
            Battery = new BatteryModel();
            Bonds = new BondStoreModel();
            _button = new ButtonGesture(false);
            Parts = new DeviceParts
            {
                Imus = new II2cDevice[] { Imus[0], Imus[1], Imus[2] },
                Motor = Motor,
                Files = Files,
                Battery = Battery,
                Random = random ?? new SystemRandom(),
                Bonds = Bonds,
                Identity = identity ?? new DeviceIdentity { Serial = "HS1-VIRTUAL" },
                StorageRoot = "/hinge/",
            };
            Core = new DeviceCore(Parts);
        }

        public WearerSimulation Simulation { get; }
        public Mpu6050RegisterModel[] Imus { get; }
        /// <summary>The flash model (used unless another file store was given).</summary>
        public FlashModel Flash { get; }

        /// <summary>What the firmware stores its files in: the flash model, or e.g. a directory that outlives the process.</summary>
        public IFileStore Files { get; }
        public MotorLog Motor { get; }
        public BatteryModel Battery { get; }

        /// <summary>The BLE stack's bonded hosts (NVS on the device: they survive a reboot).</summary>
        public BondStoreModel Bonds { get; }
        public DeviceParts Parts { get; }

        /// <summary>The wearer's finger on the button: polled every loop tick through the device's own gesture rules.</summary>
        public bool ButtonDown;

        private readonly List<(double FromS, double ToS)> _holds = new();

        /// <summary>The wearer will hold the button from <paramref name="fromS"/> (device time) for <paramref name="seconds"/>.</summary>
        public void HoldButton(double fromS, double seconds)
        {
            lock (_holds) _holds.Add((fromS, fromS + seconds));
        }

        private bool Held(double s)
        {
            if (ButtonDown) return true;
            lock (_holds)
            {
                foreach (var (from, to) in _holds)
                    if (s >= from && s < to) return true;
            }
            return false;
        }

        private ButtonGesture _button;
        public DeviceCore Core { get; private set; }

        /// <summary>Called every simulated millisecond with the sensors' true readings (tests).</summary>
        public Action<double, SensorTruth[]>? OnPhysics;

        /// <summary>Wraps every device tick (tests measure what the firmware's own work allocates).</summary>
        public Action<Action>? TickWrapper;

        /// <summary>The device's main loop does not run before this time (a stalled loop: long flash erase, GC).</summary>
        public double LoopStalledUntilS;

        /// <summary>Simulated time, s.</summary>
        public double TimeS => _ms * 1e-3;
        public long TimeUs => _ms * 1000;
        public double DurationS => Simulation.DurationS;

        public void Boot() => Core.Boot(TimeUs);

        /// <summary>A power cut: a new core on the same (durable) flash and chips, booted now.</summary>
        public void Reboot()
        {
            Flash.Reboot();
            foreach (var imu in Imus) imu.PowerOn();
            Core = new DeviceCore(Parts);
            Core.Boot(TimeUs);
            _button = new ButtonGesture(ButtonDown);
        }

        /// <summary>Runs body, chips and firmware up to time t (s).</summary>
        public void AdvanceTo(double t)
        {
            long end = (long)Math.Round(t * 1000);
            while (_ms < end)
            {
                _ms++;
                double s = _ms * 1e-3;
                // Past the end of the scenario the wearer simply stands where the script left them.
                Simulation.Physics.Tick(s, _truth);
                for (int i = 0; i < 3; i++) Imus[i].Tick(s, _truth[i].SpecificForce, _truth[i].Rate);
                OnPhysics?.Invoke(s, _truth);
                if (_ms % (LoopUs / 1000) == 0 && s >= LoopStalledUntilS)
                {
                    Motor.NowS = s;
                    long now = _ms * 1000;
                    if (TickWrapper != null) TickWrapper(() => Core.Tick(now));
                    else Core.Tick(now);
                    _button.Poll(now, Held(s), Core);
                }
            }
        }
    }
}
