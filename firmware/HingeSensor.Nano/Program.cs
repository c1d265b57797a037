using System;
using System.Device.Gpio;
using System.Diagnostics;
using System.Threading;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Imu;
using HingeSensor.Nano.Hardware;
using nanoFramework.Device.Bluetooth.Security;

namespace HingeSensor.Nano
{
    /// <summary>
    /// The device entry point: routes the pins, builds the hardware adapters, hands them to
    /// <see cref="DeviceCore"/> and runs the 10 ms main loop. Pin map and wiring: hardware/README.md.
    /// </summary>
    public static class Program
    {
        // --- Pin map (ESP32-WROOM-32E; no strapping, flash or UART0 pins). ---
        private const int I2c1Data = 21;        // bus 1: head 0x68 + upper back 0x69
        private const int I2c1Clock = 22;
        private const int I2c2Data = 25;        // bus 2: sacrum 0x68
        private const int I2c2Clock = 26;
        private const int MotorPin = 27;        // MOSFET gate (100 kΩ pull-down keeps the motor off at boot)
        private const int ButtonPin = 13;       // to GND, internal pull-up
        private const int ChargeStatusPin = 35; // TP4056 CHRG via 10 kΩ, 47 kΩ pull-up to 3V3 (input-only pin)
        private const int BatteryAdcChannel = 6; // GPIO34 = ADC1 channel 6, VBAT through 100 k / 100 k

        /// <summary>This unit's ADC reference, mV (1100 nominal; trim per unit, hardware/README.md).</summary>
        private const int AdcVrefMillivolts = 1100;

        /// <summary>This unit's serial: set per unit before deploying; the pairing passkey derives from it.</summary>
        private const string SerialNumber = "HS1-000001";

        private const string DriveRoot = "I:\\";
        private const string StorageRoot = "I:\\hinge\\";

        /// <summary>Hold the button this long while powering on to forget every bonded host.</summary>
        private const int ForgetBondsHoldMs = 3000;

        private const long LoopUs = 10000;

        /// <summary>Loop passes that took longer than the 10 ms period (see with the debugger).</summary>
        public static int Overruns;

        /// <summary>Cost of the last and of the slowest loop pass, µs.</summary>
        public static long LastLoopUs;
        public static long MaxLoopUs;

        public static void Main()
        {
            var gpio = new GpioController();
            var button = new Button(gpio, ButtonPin);
            bool forgetBonds = button.HeldAtBoot(ForgetBondsHoldMs);

            // Pins are routed before the first device on each bus is created.
            I2cImu.AssignBusPins(1, I2c1Data, I2c1Clock);
            I2cImu.AssignBusPins(2, I2c2Data, I2c2Clock);
            LittleFsFileStore.EnsureDirectory(StorageRoot);

            var identity = new DeviceIdentity();
            identity.Serial = SerialNumber;
            var parts = new DeviceParts
            {
                // Indexed by Segment: head, upper back, sacrum.
                Imus = new II2cDevice[] { new I2cImu(1, 0x68), new I2cImu(1, 0x69), new I2cImu(2, 0x68) },
                Motor = new PwmMotor(MotorPin),
                Files = new LittleFsFileStore(DriveRoot),
                Battery = new BatteryMonitor(BatteryAdcChannel, gpio, ChargeStatusPin, AdcVrefMillivolts),
                Entropy = new HardwareEntropy(),
                Identity = identity,
                StorageRoot = StorageRoot,
            };
            var core = new DeviceCore(parts);
            core.Boot(HighResClock.NowUs); // loads the config: the BLE name comes from it

            BleServer? ble = new BleServer(core, identity);
            try
            {
                if (!ble.Start()) ble = null;
            }
            catch (Exception)
            {
                ble = null; // coaching and recording work without BLE
            }
            if (ble != null && forgetBonds)
            {
                DeviceBonding.DeleteAllBonds(); // needs the stack running: after Start
                core.Haptics.Play(HapticPattern.Identify, HighResClock.NowUs);
            }
            Debug.WriteLine("HingeSensor " + SerialNumber + (ble != null ? " BLE up" : " BLE down"));

            Run(core, button, ble);
        }

        private static void Run(DeviceCore core, Button button, BleServer? ble)
        {
            long next = HighResClock.NowUs;
            while (true)
            {
                long start = HighResClock.NowUs;
                core.Tick(start);
                button.Poll(start, core);
                if (ble != null) ble.NotifyPump();

                long end = HighResClock.NowUs;
                long cost = end - start;
                LastLoopUs = cost;
                if (cost > MaxLoopUs) MaxLoopUs = cost;
                if (cost > LoopUs) core.LoopOverruns = ++Overruns; // reported in the status characteristic

                // Sleep for the rest of the period; when late, go again at once without trying
                // to catch up (each MPU6050 FIFO holds 85 frames = 850 ms; the sampler absorbs the jitter).
                next += LoopUs;
                if (next <= end) next = end;
                else Thread.Sleep((int)((next - end) / 1000));
            }
        }
    }
}
