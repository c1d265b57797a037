using HingeSensor.Algorithms.Posture;
using HingeSensor.Protocol;
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
        // Every chunk is built here. The frames of the second under way are written straight into
        // its payload (at most PrefixBytes + 12 + 48 × MaxDeltaFrameBytes = 882 bytes, well inside
        // MaxPayload): every other chunk is written only at a flush, after the frames have gone.
        private readonly byte[] _chunk = new byte[SessionFormat.MaxPayload + SessionFormat.Overhead];
        private readonly int[] _last = new int[SessionFrames.AnglesPerFrame];
        // The events waiting for the next flush, field by field: an array of structs is a heap
        // object per element on the device, created the first time each element is touched.
        private readonly SessionEventKind[] _eventKind = new SessionEventKind[MaxEvents];
        private readonly uint[] _eventTimeMs = new uint[MaxEvents];
        private readonly int[] _eventA = new int[MaxEvents];
        private readonly int[] _eventB = new int[MaxEvents];
        private readonly int[] _eventValue = new int[MaxEvents];
        // The reps waiting for the next flush, already encoded (34 bytes each): a Rep object is a
        // 12-byte block per field on the device, 228 bytes, and four of them stood here for good.
        private readonly byte[] _reps = new byte[MaxReps * SessionRep.EncodedLength];
        // Reused for every record (a new one would be an allocation on the device).
        private readonly ByteWriter _writer = new ByteWriter();
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
        public void AddFrame(PostureMetrics m)
        {
            if (_session == null) return;
            if (m.ValidSegments != _validMask && _frameCount > 0) Flush();
            if (_frameCount == 0)
            {
                _validMask = m.ValidSegments;
                ByteWriter w = _writer;
                w.Reset(_chunk, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
                w.U32((uint)_frameIndex);
                w.U8(0); // count, set at flush
                w.U8(_validMask);
                _frameBytes = w.Position;
            }
            WriteAngles(m);
            _frameCount++;
            _frameIndex++;
            if (_frameCount >= _framesPerFlush) Flush();
        }

        private void WriteAngles(PostureMetrics m)
        {
            int valid = m.ValidSegments, p = _frameBytes;
            p = Angle(p, 0, (valid & 1) != 0 ? m.HeadSagittalDeg : 0f);
            p = Angle(p, 1, (valid & 1) != 0 ? m.HeadLateralDeg : 0f);
            p = Angle(p, 2, (valid & 2) != 0 ? m.UpperBackSagittalDeg : 0f);
            p = Angle(p, 3, (valid & 2) != 0 ? m.UpperBackLateralDeg : 0f);
            p = Angle(p, 4, (valid & 4) != 0 ? m.SacrumSagittalDeg : 0f);
            p = Angle(p, 5, (valid & 4) != 0 ? m.SacrumLateralDeg : 0f);
            _frameBytes = p;
        }

        // One angle at _chunk[p], in 0.1°: the chunk's first frame as i16, later ones as the
        // varint of the difference. Stored straight into the buffer (its size allows the longest
        // frame), with one call per value rather than a ByteWriter call per byte.
        private int Angle(int p, int i, float deg)
        {
            int v = SessionFrames.ToDeci(deg);
            byte[] b = _chunk;
            if (_frameCount == 0)
            {
                b[p] = (byte)v;
                b[p + 1] = (byte)(v >> 8);
                p += 2;
            }
            else p = ByteWriter.PutVarUInt(b, p, ByteWriter.ZigZag(v - _last[i]));
            _last[i] = v;
            return p;
        }

        public void AddEvent(SessionEventKind kind, float trackerS, int a, int b, int value)
        {
            if (_session == null) return;
            if (_eventCount == MaxEvents)
            {
                DroppedEvents++;
                return;
            }
            int i = _eventCount++;
            float t = trackerS - _startS;
            _eventKind[i] = kind;
            _eventTimeMs[i] = t <= 0f ? 0u : (uint)(t * 1000f);
            _eventA[i] = a;
            _eventB[i] = b;
            _eventValue[i] = value;
        }

        public void AddRep(Rep rep)
        {
            if (_session == null) return;
            if (_repCount == MaxReps) Flush();
            if (_session == null) return; // that flush found no room: the recording has ended
            ByteWriter w = _writer;
            w.Reset(_reps, _repCount * SessionRep.EncodedLength, SessionRep.EncodedLength);
            SessionRep.Write(ref w, ref rep, _startS); // encoded now: the caller reuses its Rep
            _repCount++;
        }

        /// <summary>Writes what is buffered: frames, events, reps, each as its own chunk.</summary>
        public void Flush()
        {
            if (_session == null) return;
            if (_frameCount > 0)
            {
                _chunk[SessionFormat.HeaderBytes + 4] = (byte)_frameCount;
                _frameCount = 0;
                if (!Put(_session, SessionFormat.ChunkFrames, _frameBytes - SessionFormat.HeaderBytes)) return;
                _session.LastFrameIndex = _frameIndex - 1;
            }
            if (_eventCount > 0)
            {
                ByteWriter w = _writer;
                w.Reset(_chunk, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
                w.U8(_eventCount);
                for (int i = 0; i < _eventCount; i++) SessionEvent.Write(w, _eventKind[i], _eventTimeMs[i], _eventA[i], _eventB[i], _eventValue[i]);
                _eventCount = 0;
                if (!Put(_session, SessionFormat.ChunkEvents, w.Position - SessionFormat.HeaderBytes)) return;
            }
            for (int i = 0; i < _repCount; i++)
            {
                System.Array.Copy(_reps, i * SessionRep.EncodedLength, _chunk, SessionFormat.HeaderBytes, SessionRep.EncodedLength);
                if (!Put(_session, SessionFormat.ChunkRep, SessionRep.EncodedLength))
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
                ByteWriter w = _writer;
                w.Reset(_chunk, SessionFormat.HeaderBytes, SessionFormat.MaxPayload);
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
