using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Protocol;
using HingeSensor.Algorithms.Reps;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>Why a recording ended. Wire values (RecordingStopped event): never renumber.</summary>
    public enum StopReason
    {
        None = 0,
        StorageFull = 1,
        Requested = 2,
        Error = 3,
    }

    /// <summary>
    /// Writes a session as it happens (docs/session-format.md): a header chunk, then about once a
    /// second a frames chunk (segment angles at the record rate, delta-coded), an events chunk and
    /// any finished reps, each sealed with a CRC and appended-and-closed on its own, so a power cut
    /// loses at most the last second. Before every append it makes room by evicting the oldest
    /// session the host has already stored; when only un-downloaded sessions are left it stops and
    /// says so instead of overwriting anything.
    /// </summary>
    public sealed class SessionRecorder
    {
        public const int FlushFrames = 25;
        public const int MaxEvents = 32;
        public const int MaxReps = 4;

        /// <summary>Free space kept aside for the End chunk and file-system metadata.</summary>
        public const int ReserveBytes = 4096;

        private readonly SessionStore _store;
        private readonly IFileStore _files;
        private readonly byte[] _chunk = new byte[SessionFormat.MaxPayload + SessionFormat.Overhead];
        private readonly byte[] _frames = new byte[SessionFrames.PrefixBytes + 12 + 49 * SessionFrames.MaxDeltaFrameBytes];
        private readonly int[] _last = new int[SessionFrames.AnglesPerFrame];
        private readonly SessionEvent[] _events = new SessionEvent[MaxEvents];
        private readonly Rep[] _reps = new Rep[MaxReps];
        private SessionInfo? _session;
        private int _frameBytes;
        private int _frameCount;
        private long _frameIndex;
        private int _validMask = -1;
        private int _eventCount;
        private int _repCount;
        private int _framesPerFlush = FlushFrames;
        private float _startS;
        private StopReason _stopped;

        public SessionRecorder(SessionStore store, IFileStore files)
        {
            _store = store;
            _files = files;
        }

        public bool IsRecording { get { return _session != null; } }
        public SessionInfo? Session { get { return _session; } }

        /// <summary>Why the last recording stopped (None while one is running).</summary>
        public StopReason LastStop { get { return _stopped; } }

        /// <summary>Id of the session that was recording last (for the RecordingStopped event).</summary>
        public int LastSessionId;

        /// <summary>Events that did not fit before a flush (never happens at sane event rates).</summary>
        public int DroppedEvents;

        /// <summary>Starts a session; the header chunk is on flash when this returns a result other than null.</summary>
        public SessionInfo? Start(SessionHeader header, float nowS)
        {
            if (_session != null) return _session;
            _stopped = StopReason.None;
            SessionInfo? s = _store.Create();
            if (s == null)
            {
                _stopped = StopReason.StorageFull;
                return null;
            }
            header.SessionId = s.Id;
            header.SessionUid = s.Uid;
            s.StartUnixMs = header.StartUnixMs;
            s.StartDeviceMs = header.StartDeviceMs;
            s.FrameRateHz = header.FrameRateHz;
            _framesPerFlush = header.FrameRateHz < 1 ? 1 : header.FrameRateHz > 49 ? 49 : header.FrameRateHz;
            int len = header.Encode(_chunk, SessionFormat.HeaderBytes);
            if (len < 0 || !Put(s, SessionFormat.ChunkHeader, len))
            {
                _store.Discard(s);
                return null;
            }
            _session = s;
            _startS = nowS;
            _frameIndex = 0;
            _frameCount = 0;
            _frameBytes = 0;
            _eventCount = 0;
            _repCount = 0;
            _validMask = -1;
            return s;
        }

        /// <summary>Tracker time at which the session started, s (session times count from here).</summary>
        public float StartS { get { return _startS; } }

        /// <summary>Session time of a tracker time, s.</summary>
        public float SessionTime(float trackerS) { return trackerS - _startS; }

        /// <summary>Adds one frame of segment angles (call at the record rate). Flushes when a second is full.</summary>
        public void AddFrame(ref PostureMetrics m)
        {
            if (_session == null) return;
            if (m.ValidSegments != _validMask && _frameCount > 0) Flush();
            if (_frameCount == 0)
            {
                _validMask = m.ValidSegments;
                var w = new ByteWriter(_frames, 0, _frames.Length);
                w.U32((uint)_frameIndex);
                w.U8(0); // count, set at flush
                w.U8(_validMask);
                _frameBytes = w.Position;
            }
            WriteAngles(ref m);
            _frameCount++;
            _frameIndex++;
            if (_frameCount >= _framesPerFlush) Flush();
        }

        private void WriteAngles(ref PostureMetrics m)
        {
            var w = new ByteWriter(_frames, _frameBytes, _frames.Length - _frameBytes);
            Angle(ref w, 0, m.IsValid(0) ? m.HeadSagittalDeg : 0f);
            Angle(ref w, 1, m.IsValid(0) ? m.HeadLateralDeg : 0f);
            Angle(ref w, 2, m.IsValid(1) ? m.UpperBackSagittalDeg : 0f);
            Angle(ref w, 3, m.IsValid(1) ? m.UpperBackLateralDeg : 0f);
            Angle(ref w, 4, m.IsValid(2) ? m.SacrumSagittalDeg : 0f);
            Angle(ref w, 5, m.IsValid(2) ? m.SacrumLateralDeg : 0f);
            _frameBytes = w.Position;
        }

        private void Angle(ref ByteWriter w, int i, float deg)
        {
            int v = SessionFrames.ToDeci(deg);
            if (_frameCount == 0) w.I16(v);
            else w.VarInt(v - _last[i]);
            _last[i] = v;
        }

        public void AddEvent(SessionEventKind kind, float trackerS, int a, int b, int value)
        {
            if (_session == null) return;
            if (_eventCount == MaxEvents)
            {
                DroppedEvents++;
                return;
            }
            SessionEvent e = new SessionEvent();
            e.Kind = kind;
            float t = trackerS - _startS;
            e.TimeMs = t <= 0f ? 0u : (uint)(t * 1000f);
            e.A = a;
            e.B = b;
            e.Value = value;
            _events[_eventCount++] = e;
        }

        public void AddRep(ref Rep rep)
        {
            if (_session == null) return;
            if (_repCount == MaxReps) Flush();
            if (_session == null) return; // that flush found no room: the recording has ended
            _reps[_repCount++] = rep;
        }

        /// <summary>Writes what is buffered: frames, events, reps, each as its own chunk.</summary>
        public void Flush()
        {
            if (_session == null) return;
            if (_frameCount > 0)
            {
                _frames[4] = (byte)_frameCount;
                System.Array.Copy(_frames, 0, _chunk, SessionFormat.HeaderBytes, _frameBytes);
                _frameCount = 0;
                if (!Put(_session, SessionFormat.ChunkFrames, _frameBytes)) return;
                _session.LastFrameIndex = _frameIndex - 1;
            }
            if (_eventCount > 0)
            {
                var w = new ByteWriter(_chunk, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
                w.U8(_eventCount);
                for (int i = 0; i < _eventCount; i++) _events[i].Write(ref w);
                _eventCount = 0;
                if (!Put(_session, SessionFormat.ChunkEvents, w.Position - SessionFormat.HeaderBytes)) return;
            }
            for (int i = 0; i < _repCount; i++)
            {
                var w = new ByteWriter(_chunk, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
                SessionRep.Write(ref w, ref _reps[i], _startS);
                if (!Put(_session, SessionFormat.ChunkRep, w.Position - SessionFormat.HeaderBytes))
                {
                    _repCount = 0;
                    return;
                }
            }
            _repCount = 0;
        }

        /// <summary>Flushes and closes the session with its End chunk.</summary>
        public void Stop(StopReason reason, float nowS)
        {
            if (_session == null) return;
            Flush();
            if (_session != null)
            {
                var w = new ByteWriter(_chunk, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
                w.U32((uint)_frameIndex);
                w.U32((uint)((nowS - _startS) * 1000f));
                w.U8((int)reason);
                if (Put(_session, SessionFormat.ChunkEnd, w.Position - SessionFormat.HeaderBytes)) _session.Flags |= SessionEntry.FlagClosed;
                End(reason);
            }
        }

        private void End(StopReason reason)
        {
            if (_session != null)
            {
                _session.Flags &= ~SessionEntry.FlagRecording;
                LastSessionId = _session.Id;
            }
            _session = null;
            _stopped = reason;
        }

        // Seals the payload in _chunk, makes room, appends. On a full flash with nothing
        // evictable the recording stops (the session so far stays intact).
        private bool Put(SessionInfo s, int type, int payloadLength)
        {
            int total = SessionFormat.Seal(_chunk, type, payloadLength, s.NextSequence);
            while (_files.FreeBytes < total + ReserveBytes)
            {
                if (!_store.EvictOldestDownloaded())
                {
                    if (_session != null) End(StopReason.StorageFull);
                    else _stopped = StopReason.StorageFull;
                    return false;
                }
            }
            if (_store.Append(s, _chunk, total)) return true;
            if (_session != null) End(StopReason.Error);
            return false;
        }
    }
}
