using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Ble
{
    /// <summary>
    /// The control characteristic's write handler. It runs on the BLE stack's thread, which waits
    /// for the answer (2 s at most): so it only checks the request — link secure, known opcode,
    /// right length — answers errors at once, and queues the rest for the main loop, which does the
    /// work and sends the response. On a link that is not secure every request, Identify included,
    /// is answered InsufficientSecurity and nothing else is looked at.
    /// </summary>
    public sealed class ControlPoint
    {
        public const int MaxRequest = 64;
        private const int Capacity = 8;

        private readonly NotificationQueue _notifications;
        private readonly byte[][] _requests = new byte[Capacity][];
        private readonly int[] _lengths = new int[Capacity];
        private readonly object _lock = new object();
        private int _head;

        public ControlPoint(NotificationQueue notifications)
        {
            _notifications = notifications;
            for (int i = 0; i < Capacity; i++) _requests[i] = new byte[MaxRequest];
        }

        /// <summary>Requests refused before queuing (security, bad length, unknown opcode, queue full).</summary>
        public int Refused;

        /// <summary>Responses and events that found the notification queue full (reported in the status).</summary>
        public int Lost;

        /// <summary>Parameter bytes an opcode takes: exact, or −1 for WriteConfig's variable record, or −2 if unknown.</summary>
        public static int ParameterLength(int opcode)
        {
            switch ((Opcode)opcode)
            {
                case Opcode.Identify:
                case Opcode.CalibrateNeutral:
                case Opcode.CalibrateHinge:
                case Opcode.CalibrateRange:
                case Opcode.StartRecording:
                case Opcode.StopRecording:
                case Opcode.AbortDownload:
                case Opcode.ResetConfig:
                    return 0;
                case Opcode.SetTime: return 8;
                case Opcode.ListSessions: return 2;
                case Opcode.Download: return 6;
                case Opcode.MarkDownloaded: return 2 + SessionFormat.DigestTagBytes;
                case Opcode.EraseSession: return 3 + SessionFormat.DigestTagBytes;
                case Opcode.WriteConfig: return -1;
                default: return -2;
            }
        }

        /// <summary>Handles a write on the control characteristic; always returns quickly.</summary>
        /// <param name="secure">The link is encrypted with an authenticated key made in a pairing window (now or bonded earlier).</param>
        public void OnWrite(byte[] data, int length, bool secure)
        {
            if (!secure)
            {
                Respond(length > 0 ? data[0] : 0, length > 1 ? data[1] : 0, ResultCode.InsufficientSecurity);
                return;
            }
            if (length < 2)
            {
                Respond(length > 0 ? data[0] : 0, 0, ResultCode.InvalidLength);
                return;
            }
            int opcode = data[0], id = data[1];
            int expect = ParameterLength(opcode);
            if (expect == -2) { Respond(opcode, id, ResultCode.UnknownOpcode); return; }
            int parameters = length - 2;
            bool lengthOk = expect >= 0 ? parameters == expect : parameters >= DeviceConfig.MinEncodedLength && parameters <= DeviceConfig.MaxEncodedLength;
            if (!lengthOk || length > MaxRequest) { Respond(opcode, id, ResultCode.InvalidLength); return; }
            lock (_lock)
            {
                if (Waiting == Capacity)
                {
                    Refused++;
                    Respond(opcode, id, ResultCode.Busy);
                    return;
                }
                int slot = (_head + Waiting) % Capacity;
                System.Array.Copy(data, 0, _requests[slot], 0, length);
                _lengths[slot] = length;
                Waiting++;
            }
        }

        /// <summary>
        /// Requests waiting, read without the lock: a hint that may lag a write by a pass. A field,
        /// not a property: the main loop reads it every pass before it calls to take a request
        /// (each a call on the interpreter, nearly always for nothing). Written only under the lock.
        /// </summary>
        public int Waiting;

        /// <summary>The oldest queued request (copied into <paramref name="into"/>); false when none.</summary>
        public bool TryTake(byte[] into, out int length)
        {
            lock (_lock)
            {
                if (Waiting == 0)
                {
                    length = 0;
                    return false;
                }
                length = _lengths[_head];
                System.Array.Copy(_requests[_head], 0, into, 0, length);
                _head = (_head + 1) % Capacity;
                Waiting--;
                return true;
            }
        }

        /// <summary>Where an answer's payload goes in the buffer <see cref="BeginAnswer"/> returns.</summary>
        public const int AnswerPayload = 4;

        /// <summary>Where an event's payload goes in the buffer <see cref="BeginEvent"/> returns.</summary>
        public const int EventPayload = 2;

        /// <summary>Queues the answer [F0][opcode][id][result] without payload. Returns false if the queue was full.</summary>
        public bool Respond(int opcode, int id, ResultCode result)
        {
            if (result != ResultCode.Success && result != ResultCode.Accepted) Refused++;
            byte[]? b = BeginAnswer(opcode, id, result);
            if (b == null) return false;
            // The refusal itself may reach a link that is not secure: it says "pair first" and nothing more.
            if (result == ResultCode.InsufficientSecurity) _notifications.CommitToAnyLink(GattCharacteristic.Control, AnswerPayload);
            else CommitAnswer(0);
            return true;
        }

        /// <summary>
        /// Reserves the answer [F0][opcode][id][result] for a payload the caller writes straight
        /// into it at <see cref="AnswerPayload"/> (no copy, no buffer of its own), then queues with
        /// <see cref="CommitAnswer"/>, reserving nothing else in between. Null, counted in
        /// <see cref="Lost"/>, when the queue is full.
        /// </summary>
        public byte[]? BeginAnswer(int opcode, int id, ResultCode result)
        {
            byte[]? b = ReserveOrCountLost();
            if (b == null) return null;
            b[0] = (byte)ControlMessage.Response;
            b[1] = (byte)opcode;
            b[2] = (byte)id;
            b[3] = (byte)result;
            return b;
        }

        public void CommitAnswer(int payloadLength)
        {
            _notifications.Commit(GattCharacteristic.Control, AnswerPayload + payloadLength);
        }

        /// <summary>Reserves the event [F1][event] for a payload written at <see cref="EventPayload"/>, then <see cref="CommitEvent"/>; as <see cref="BeginAnswer"/>.</summary>
        public byte[]? BeginEvent(DeviceEvent e)
        {
            byte[]? b = ReserveOrCountLost();
            if (b == null) return null;
            b[0] = (byte)ControlMessage.Event;
            b[1] = (byte)e;
            return b;
        }

        public void CommitEvent(int payloadLength)
        {
            _notifications.Commit(GattCharacteristic.Control, EventPayload + payloadLength);
        }

        private byte[]? ReserveOrCountLost()
        {
            byte[]? b = _notifications.Reserve();
            if (b == null) Lost++;
            return b;
        }

        public void Clear()
        {
            lock (_lock)
            {
                _head = 0;
                Waiting = 0;
            }
        }
    }
}
