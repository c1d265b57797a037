using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Nano.Bench.Models;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Imu;
using HingeSensor.Nano.Core.Storage;
using System;

namespace HingeSensor.Nano.Bench
{
    /// <summary>
    /// Runs the firmware core (<see cref="DeviceCore.Tick"/> every 10 ms of virtual time) in one
    /// scenario on the real interpreter, with models of the chips, the flash, the motor, the battery
    /// and the BLE link, then prints what happened ("BENCH tag key value" lines) for the host to check
    /// and measure (see README.md). Each loop pass is framed by two marker calls (natives the core
    /// never calls: Math.Tanh before, GC.EnableGCMessages after) so that a profiler can cut the run
    /// into passes: callgrind zeroes its counters at the first and dumps them after the second.
    /// </summary>
    public static class BenchMain
    {
        public const long PassUs = 10000;

        private static DeviceCore _core = null!;
        private static LinkModel _link = null!;
        private static Mpu6050Model[] _chips = null!;
        private static CountingMotor _motor = null!;
        private static RamFileStore _files = null!;
        private static DeviceParts _parts = null!;
        private static uint _heapFreeBefore;

        /// <summary>Runs a scenario for its warm-up plus <paramref name="passes"/> loop passes.</summary>
        public static void Run(string name, int passes)
        {
            if (!NativesAnswerRight()) return;
            int scenario = Scenarios.Parse(name);
            if (scenario == Scenarios.Unknown)
            {
                System.Console.WriteLine("BENCH error unknown-scenario " + name);
                return;
            }
            int warmup = Scenarios.Warmup(scenario);
            var wearer = new Wearer();
            wearer.Motion = Scenarios.Motion(scenario);
            _chips = new Mpu6050Model[] { new Mpu6050Model(wearer, 0), new Mpu6050Model(wearer, 1), new Mpu6050Model(wearer, 2) };
            _motor = new CountingMotor();
            _files = new RamFileStore();
            var parts = new DeviceParts();
            parts.Imus = new II2cDevice[] { _chips[0], _chips[1], _chips[2] };
            parts.Motor = _motor;
            parts.Files = _files;
            parts.Battery = new SteadyBattery();
            parts.Random = new BenchRandom();
            parts.Bonds = new NoBonds();
            _parts = parts;

            _link = new LinkModel();
            var reader = new FifoReader(_chips);
            if (scenario == Scenarios.Download) _link.StoredSession = SessionFixture.Record(_files, parts.StorageRoot, new BenchRandom());

            // The managed heap the device needs: free space before the core exists vs after its
            // warm-up (every model made before, so that none of it counts).
            _heapFreeBefore = nanoFramework.Runtime.Native.GC.Run(false);
            _core = new DeviceCore(parts);
            _core.Boot(0);
            _link.Attach(_core);
            bool baseline = scenario == Scenarios.ModelsOnly;
            if (!baseline) ApplyIdentityCalibration();

            int total = warmup + passes;
            Print("run", "warmup", warmup);
            Print("run", "passes", passes);
            Print("run", "empty_pairs", EmptyPairs);
            // Empty pairs first: the markers' own cost, subtracted from each pass. Several, because
            // nanoCLR's scheduler and timers run on wall-clock time and land inside some pairs
            // (more of them on a busy machine); the host takes the smallest.
            for (int i = 0; i < EmptyPairs; i++)
            {
                PassBegins();
                PassEnds();
            }
            for (int pass = 0; ; pass++)
            {
                if (pass == warmup) Report("warmup");
                if (pass == total) break;
                long now = (pass + 1) * PassUs;
                Scenarios.Script(scenario, pass, _link);
                for (int c = 0; c < _chips.Length; c++) _chips[c].Advance(now);
                PassBegins();
                if (baseline) reader.Drain();
                else _core.Tick(now);
                _link.Pump();
                PassEnds();
                _link.Receive();
            }
            Report("end");
        }

        /// <summary>
        /// Runs a scenario, then sums the heap the device core holds at its end under the ESP32's
        /// layout (<see cref="HeapCensus"/>) and what each stored session adds to it, so that the
        /// host can state the heap with a full session table ("CENSUS key value" lines).
        /// </summary>
        public static void Census(string name, int passes)
        {
            Run(name, passes);
            if (_core == null) return;
            var census = new HeapCensus();
            // The models are not the device's: the chips, the flash's contents, the link.
            for (int i = 0; i < _chips.Length; i++) census.Exclude(_chips[i]);
            census.Exclude(_motor);
            census.Exclude(_files);
            census.Exclude(_link);
            census.Exclude(_parts.Battery);
            census.Exclude(_parts.Random);
            census.Exclude(_parts.Bonds);
            census.Walk(_core);
            Type[] types = typeof(DeviceCore).Assembly.GetTypes();
            var device = new Type[types.Length];
            int n = 0;
            for (int i = 0; i < types.Length; i++)
                if (!types[i].FullName.StartsWith("HingeSensor.Nano.Bench")) device[n++] = types[i];
            var deviceTypes = new Type[n];
            Array.Copy(device, deviceTypes, n);
            census.WalkStatics(deviceTypes);
            CensusLine("esp32_bytes", census.EspBytes);
            CensusLine("here_bytes", census.HereBytes);
            CensusLine("objects", census.Objects);
            for (int i = 0; i < census.TypeCount; i++)
                System.Console.WriteLine("CENSUS type " + census.TypeName(i) + " " + census.TypeObjects(i).ToString() + " " + census.TypeEspBytes(i).ToString());

            SessionStore store = _core.Sessions;
            CensusLine("sessions", store.Count);
            CensusLine("max_sessions", SessionStore.MaxSessions);
            if (store.Count == 0) return;
            // One session's entry alone: what each further one adds. Its path is not: only the (at
            // most three) files in use hold one, and this run's session is one of them.
            var one = new HeapCensus();
            one.Exclude(store);
            one.Exclude(store.At(0).Path);
            one.Walk(store.At(0));
            CensusLine("session_esp32_bytes", one.EspBytes);
            CensusLine("session_here_bytes", one.HereBytes);
        }

        private static void CensusLine(string key, int value) { System.Console.WriteLine("CENSUS " + key + " " + value.ToString()); }

        /// <summary>A native the firmware never calls: callgrind zeroes its counters on entering it.</summary>
        private const int EmptyPairs = 32;

        private static void PassBegins() { System.Math.Tanh(0); }

        /// <summary>Another (a no-op on the interpreter): callgrind dumps its counters after it.</summary>
        private static void PassEnds() { nanoFramework.Runtime.Native.GC.EnableGCMessages(false); }

        // Calibrated as if the straps sat exactly on the segments' axes (the wearer model's mounting).
        private static void ApplyIdentityCalibration()
        {
            var cal = new BodyCalibration();
            for (int i = 0; i < cal.Segments.Length; i++)
            {
                cal.Segments[i].HasNeutral = true;
                cal.Segments[i].HasHinge = true;
            }
            _core.Tracker.ApplyCalibration(cal);
        }

        // A library .pe whose native indices are off runs the wrong natives (Sqrt runs another
        // function): refuse to measure anything then.
        private static bool NativesAnswerRight()
        {
            double root = System.Math.Sqrt(4.0), sine = System.Math.Sin(0.5);
            if (root == 2.0 && sine > 0.4794255 && sine < 0.4794256) return true;
            System.Console.WriteLine("BENCH error natives-misaligned sqrt(4)=" + root.ToString() + " sin(0.5)=" + sine.ToString());
            return false;
        }

        private static void Report(string tag)
        {
            Print(tag, "samples", _core.Samples);
            Print(tag, "reps", _core.Tracker.Reps.Count);
            Print(tag, "connected", _core.Connected ? 1 : 0);
            Print(tag, "recording", _core.Recorder.IsRecording ? 1 : 0);
            Print(tag, "live", _link.LiveNotifications);
            Print(tag, "status", _link.StatusNotifications);
            Print(tag, "answers", _link.Answers);
            Print(tag, "failed_answers", _link.FailedAnswers);
            Print(tag, "last_failure", _link.LastFailure);
            Print(tag, "alerts_back_rounding", _link.BackRoundingAlerts);
            Print(tag, "alerts_chin_drop", _link.ChinDropAlerts);
            Print(tag, "motor_pulses", _motor.Pulses);
            Print(tag, "downloads", _link.DownloadsDone);
            Print(tag, "download_failures", _link.DownloadsFailed);
            Print(tag, "downloaded_bytes", (int)_link.SessionBytes);
            Print(tag, "live_dropped", _core.Live.Dropped);
            Print(tag, "frames_lost", _chips[0].FramesLost + _chips[1].FramesLost + _chips[2].FramesLost);
            Print(tag, "files_refused", _files.Refused);
            Print(tag, "heap_free_before_core", (int)_heapFreeBefore);
            Print(tag, "heap_free", (int)nanoFramework.Runtime.Native.GC.Run(false));
        }

        private static readonly char[] Digits = new char[11];

        // Fixed width: the short run and the long one allocate the same strings to report, so
        // their difference is the loop's alone.
        private static void Print(string tag, string key, int value)
        {
            uint v = (uint)value;
            for (int i = Digits.Length - 1; i >= 0; i--)
            {
                Digits[i] = (char)('0' + (int)(v % 10));
                v /= 10;
            }
            System.Console.WriteLine("BENCH " + tag + " " + key + " " + new string(Digits));
        }
    }
}
