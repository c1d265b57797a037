using HingeSensor.Protocol;
using HingeSensor.Nano.Bench.Models;
using HingeSensor.Nano.Core.Ble;

namespace HingeSensor.Nano.Bench
{
    /// <summary>
    /// What the host and the wearer do in each scenario, pass by pass. The warm-up covers boot, the
    /// sensors' start (150 ms), the requests and, where reps matter, a whole rep cycle (5 s).
    /// Scenarios are numbers inside the loop: on nanoCLR every string literal executed allocates.
    /// </summary>
    public static class Scenarios
    {
        public const int Unknown = -1;
        public const int Idle = 0;
        public const int Live = 1;
        public const int LiveRecording = 2;
        public const int Alert = 3;
        public const int Download = 4;

        /// <summary>The bench's own models without the core: proves they allocate nothing themselves.</summary>
        public const int ModelsOnly = 5;

        private const int Mtu = 247;
        private const int RecordFrom = 5;
        private const int DownloadFrom = 10;

        public static int Parse(string name)
        {
            if (name == "idle") return Idle;
            if (name == "live") return Live;
            if (name == "live_recording") return LiveRecording;
            if (name == "alert") return Alert;
            if (name == "download") return Download;
            if (name == "models") return ModelsOnly;
            return Unknown;
        }

        /// <summary>Passes before the measured ones.</summary>
        public static int Warmup(int s)
        {
            if (s == Alert) return 500;
            return 300;
        }

        public static WearerMotion Motion(int s)
        {
            if (s == Live || s == LiveRecording) return WearerMotion.Hinges;
            if (s == Alert) return WearerMotion.RoundingHinges;
            return WearerMotion.Standing;
        }

        /// <summary>The host's actions before a pass (they arrive between passes, as BLE events do).</summary>
        public static void Script(int s, int pass, LinkModel link)
        {
            if (s == Idle || s == ModelsOnly) return;
            if (pass == 0)
            {
                link.Connect(Mtu);
                if (s != Download) link.Subscribe(GattCharacteristic.Live);
                link.Subscribe(GattCharacteristic.Status);
                return;
            }
            if (s == Live) return;
            if (s != Download)
            {
                if (pass == RecordFrom) link.Request(Opcode.StartRecording);
                return;
            }
            // The host downloads the stored session (SessionFixture), and again as soon as it is
            // done: the device streams back to back, a download every ~30 passes at this MTU.
            if (pass == DownloadFrom || (pass > DownloadFrom && link.DownloadFinished))
            {
                link.DownloadFinished = false;
                link.RequestDownload(link.StoredSession, 0);
            }
        }
    }
}
