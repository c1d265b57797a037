using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// Streams a session file over the session-data characteristic:
    /// [session id u16][offset u32][bytes], each notification as large as the MTU allows, for as
    /// long as the notification queue has room (the link paces it). At the end a DownloadDone event
    /// gives the length and the digest tag the host must see; if the file cannot be read to the end (evicted
    /// meanwhile, flash error) a DownloadFailed event says so instead. The host resumes after a
    /// disconnect by asking again from the offset it has; nothing here needs to remember it.
    /// </summary>
    public sealed class DownloadPump : IDownloads
    {
        public const int PacketHeader = 6;

        /// <summary>
        /// Queue slots a download leaves free: the control reserve (responses, events) and two for
        /// live frames, so that the wearer's live view keeps going while a session downloads.
        /// </summary>
        public const int ReservedSlots = NotificationQueue.ControlReserve + 2;

        private readonly SessionStore _store;
        private readonly NotificationQueue _queue;
        private readonly ControlPoint _control;
        // Events are written straight into their notification (ControlPoint.BeginEvent).
        private readonly ByteWriter _writer = new ByteWriter();
        private SessionInfo? _session;
        private int _offset;
        private int _end;
        private int _digestWait;

        /// <summary>Loop passes (10 ms) a finished download waits for a digest still being computed: 3 s, less than a host's 5 s of patience.</summary>
        public const int DigestWaitPasses = 300;

        public DownloadPump(SessionStore store, NotificationQueue queue, ControlPoint control)
        {
            _store = store;
            _queue = queue;
            _control = control;
        }

        public bool Active { get { return _session != null; } }

        /// <summary>The session being sent, 0 when none (ids start at 1).</summary>
        public int SessionId { get { return _session != null ? _session.Id : 0; } }

        /// <summary>Bytes sent since boot.</summary>
        public long BytesSent;

        public ResultCode Start(int id, int offset)
        {
            SessionInfo? s = _store.Find(id);
            if (s == null) return ResultCode.NotFound;
            if (offset < 0 || offset > s.Length) return ResultCode.InvalidParameter;
            _session = s;
            _offset = offset;
            _end = s.Length; // a session still recording is sent as far as it has been closed
            _digestWait = DigestWaitPasses;
            // Its digest goes first, while the bytes are on their way: DownloadDone carries it.
            if (!s.Recording && s.DigestState == SessionInfo.DigestPending) _store.Digester.Urgent = s;
            return ResultCode.Accepted;
        }

        public void Abort()
        {
            if (_session != null && _store.Digester.Urgent == _session) _store.Digester.Urgent = null;
            _session = null;
        }

        /// <summary>Pushes as much as fits now.</summary>
        public void Pump(int mtu)
        {
            if (_session == null) return;
            int room = mtu - GattIds.AttNotifyOverhead - PacketHeader;
            if (room > NotificationQueue.MaxPayload - PacketHeader) room = NotificationQueue.MaxPayload - PacketHeader;
            int id = _session.Id;
            while (_offset < _end)
            {
                byte[]? b = _queue.Reserve(ReservedSlots);
                if (b == null) return;
                int n = _end - _offset < room ? _end - _offset : room;
                b[0] = (byte)id;
                b[1] = (byte)(id >> 8);
                b[2] = (byte)_offset;
                b[3] = (byte)(_offset >> 8);
                b[4] = (byte)(_offset >> 16);
                b[5] = (byte)(_offset >> 24);
                int got = _store.Read(_session, _offset, b, PacketHeader, n);
                if (got != n)
                {
                    Fail();
                    return;
                }
                _queue.Commit(GattCharacteristic.SessionData, PacketHeader + n);
                _offset += n;
                BytesSent += n;
            }
            if (_offset >= _end && _queue.Free > 0)
            {
                // The digest tag lets the host check what it got before it stores it. A session
                // that has just stopped gets its digest within about a second (the digester takes
                // it first); one that needs longer (hashed from scratch after a power cut) is
                // announced without: the host stores it and marks it on a later download.
                SessionInfo s = _session;
                bool whole = !s.Recording && _end == s.Length;
                if (whole && s.DigestState == SessionInfo.DigestPending && _digestWait > 0)
                {
                    _digestWait--;
                    _store.Digester.Urgent = s;
                    return;
                }
                byte[]? b = _control.BeginEvent(DeviceEvent.DownloadDone);
                if (b != null)
                {
                    ByteWriter w = Payload(b);
                    w.U16(s.Id);
                    w.I32(_end);
                    bool tag = whole && s.DigestState == SessionInfo.DigestReady;
                    for (int i = 0; i < SessionFormat.DigestTagBytes; i++) w.U8(tag ? s.TagByte(i) : 0);
                    _control.CommitEvent(w.Position - ControlPoint.EventPayload);
                }
                if (_store.Digester.Urgent == s) _store.Digester.Urgent = null;
                _session = null;
            }
        }

        // The file could not be read: say so, and how far it got, so that the host gives up or
        // resumes at once instead of waiting for a DownloadDone that will not come. A session no
        // longer in the store was evicted (or erased); one still there hit a flash error.
        private void Fail()
        {
            SessionInfo s = _session!;
            _session = null;
            byte[]? b = _control.BeginEvent(DeviceEvent.DownloadFailed);
            if (b == null) return;
            ByteWriter w = Payload(b);
            w.U16(s.Id);
            w.I32(_offset);
            w.U8((int)(_store.Find(s.Id) == s ? ResultCode.InternalError : ResultCode.NotFound));
            _control.CommitEvent(w.Position - ControlPoint.EventPayload);
        }

        private ByteWriter Payload(byte[] notification)
        {
            _writer.Reset(notification, ControlPoint.EventPayload, NotificationQueue.MaxPayload - ControlPoint.EventPayload);
            return _writer;
        }
    }
}
