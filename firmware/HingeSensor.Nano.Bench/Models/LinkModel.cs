using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Bench.Models
{
    /// <summary>
    /// The BLE link with a host at the other end. Device side, it does what the glue (BleServer)
    /// does each loop pass: drains up to 8 notifications from the core's queue. Host side, it
    /// connects with an MTU, subscribes, writes control requests as the host client does, and reads
    /// what arrived: live frames, answers, events, session data.
    /// </summary>
    public sealed class LinkModel
    {
        public const int MaxPerPass = 8;

        private DeviceCore _core = null!;
        private readonly byte[][] _received = new byte[MaxPerPass][];
        private readonly int[] _lengths = new int[MaxPerPass];
        private readonly GattCharacteristic[] _targets = new GattCharacteristic[MaxPerPass];
        private readonly byte[] _request = new byte[ControlPoint.MaxRequest];
        private int _count;
        private int _nextId = 1;

        public LinkModel()
        {
            for (int i = 0; i < MaxPerPass; i++) _received[i] = new byte[NotificationQueue.MaxPayload];
        }

        /// <summary>The device this link talks to (made after the link, so that the link's buffers stay out of the device's heap figure).</summary>
        public void Attach(DeviceCore core) { _core = core; }

        public int LiveNotifications;
        public int StatusNotifications;
        public int Answers;
        public int FailedAnswers;

        /// <summary>Opcode and result of the last answer that was neither Success nor Accepted.</summary>
        public int LastFailure;

        public int BackRoundingAlerts;
        public int ChinDropAlerts;
        public int DownloadsDone;
        public int DownloadsFailed;
        public long SessionBytes;

        /// <summary>Session the last StartRecording answered with.</summary>
        public int RecordingSession;

        /// <summary>The session on the flash before boot that the host downloads (download scenario).</summary>
        public int StoredSession;

        /// <summary>A download finished since the host last asked for one.</summary>
        public bool DownloadFinished;

        public void Connect(int mtu)
        {
            _core.OnConnected(mtu);
            _core.OnSecurityChanged(true); // the host is paired: protected requests are allowed
        }

        public void Subscribe(GattCharacteristic c) { _core.OnSubscribe(c, true); }

        public void Request(Opcode opcode)
        {
            Begin(opcode);
            _core.OnControlWrite(_request, 2);
        }

        public void RequestDownload(int session, int offset)
        {
            Begin(Opcode.Download);
            // [session u16][offset i32], little-endian (docs/protocol.md)
            _request[2] = (byte)session;
            _request[3] = (byte)(session >> 8);
            _request[4] = (byte)offset;
            _request[5] = (byte)(offset >> 8);
            _request[6] = (byte)(offset >> 16);
            _request[7] = (byte)(offset >> 24);
            _core.OnControlWrite(_request, 8);
        }

        private void Begin(Opcode opcode)
        {
            _request[0] = (byte)opcode;
            _request[1] = (byte)_nextId;
            _nextId = _nextId == 255 ? 1 : _nextId + 1;
        }

        /// <summary>Device side, once per loop pass: what the glue's notify pump takes from the queue.</summary>
        public void Pump()
        {
            _count = 0;
            if (!_core.Connected) return;
            while (_count < MaxPerPass && _core.Notifications.TryDequeue(_received[_count], out _targets[_count], out _lengths[_count])) _count++;
        }

        /// <summary>Host side: reads what the last pump sent.</summary>
        public void Receive()
        {
            for (int i = 0; i < _count; i++)
            {
                byte[] b = _received[i];
                switch (_targets[i])
                {
                    case GattCharacteristic.Live: LiveNotifications++; break;
                    case GattCharacteristic.Status: StatusNotifications++; break;
                    case GattCharacteristic.SessionData: SessionBytes += _lengths[i] - DownloadPump.PacketHeader; break;
                    case GattCharacteristic.Control:
                        if (b[0] == (byte)ControlMessage.Response) OnAnswer(b, _lengths[i]);
                        else if (b[0] == (byte)ControlMessage.Event) OnEvent(b);
                        break;
                }
            }
            _count = 0;
        }

        private void OnAnswer(byte[] b, int length)
        {
            Answers++;
            int opcode = b[1], result = b[3];
            if (result != (int)ResultCode.Success && result != (int)ResultCode.Accepted)
            {
                FailedAnswers++;
                LastFailure = opcode << 8 | result;
                return;
            }
            if (opcode == (int)Opcode.StartRecording && length >= 6) RecordingSession = b[4] | b[5] << 8;
        }

        private void OnEvent(byte[] b)
        {
            switch ((DeviceEvent)b[1])
            {
                case DeviceEvent.Alignment:
                    if (b[2] != 1) return; // Started
                    if (b[3] == 1) BackRoundingAlerts++;
                    else if (b[3] == 2) ChinDropAlerts++;
                    return;
                case DeviceEvent.DownloadDone:
                    DownloadsDone++;
                    DownloadFinished = true;
                    return;
                case DeviceEvent.DownloadFailed:
                    DownloadsFailed++;
                    return;
            }
        }
    }
}
