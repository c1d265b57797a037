using HingeSensor.Algorithms.Protocol;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>
    /// The sessions on flash: one file per session (S00001.hs), a marker file (S00001.dl) once the
    /// host has stored it, and the next free id (next.id). On boot <see cref="Recover"/> checks
    /// every chunk of every session and cuts a torn tail off, so what remains is exactly the chunks
    /// that were closed before the power went.
    /// </summary>
    public sealed class SessionStore
    {
        public const int MaxSessions = 64;
        private const int ScanBuffer = 2 * (SessionFormat.MaxPayload + SessionFormat.Overhead);

        private readonly IFileStore _files;
        private readonly string _dir;
        private readonly SessionInfo?[] _sessions = new SessionInfo?[MaxSessions];
        private readonly byte[] _scan = new byte[ScanBuffer];
        private readonly byte[] _idBuffer = new byte[4];
        private int _count;
        private int _nextId = 1;

        public SessionStore(IFileStore files, string directory)
        {
            _files = files;
            _dir = directory;
        }

        public int Count { get { return _count; } }
        public SessionInfo At(int i) { return _sessions[i]!; }

        /// <summary>Sessions whose torn tail was cut off at the last boot.</summary>
        public int RecoveredSessions;

        /// <summary>Bytes dropped from torn tails at the last boot.</summary>
        public int DroppedBytes;

        public string PathOf(int id) { return _dir + Name(id, ".hs"); }
        private string TempOf(int id) { return _dir + Name(id, ".tmp"); }
        private string MarkerOf(int id) { return _dir + Name(id, ".dl"); }

        private static string Name(int id, string ext)
        {
            string digits = id.ToString();
            while (digits.Length < 5) digits = "0" + digits;
            return "S" + digits + ext;
        }

        private static int ParseId(string name, string ext)
        {
            if (name.Length != 6 + ext.Length || name[0] != 'S' || name.Substring(6) != ext) return -1;
            int id = 0;
            for (int i = 1; i < 6; i++)
            {
                char c = name[i];
                if (c < '0' || c > '9') return -1;
                id = id * 10 + (c - '0');
            }
            return id;
        }

        public SessionInfo? Find(int id)
        {
            for (int i = 0; i < _count; i++) if (_sessions[i]!.Id == id) return _sessions[i];
            return null;
        }

        public int UndownloadedCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _count; i++) if (!_sessions[i]!.Downloaded) n++;
                return n;
            }
        }

        public long UsedBytes
        {
            get
            {
                long n = 0;
                for (int i = 0; i < _count; i++) n += _sessions[i]!.Length;
                return n;
            }
        }

        /// <summary>Scans the directory, keeps every intact chunk, cuts torn tails. Call once at boot.</summary>
        public void Recover()
        {
            _count = 0;
            RecoveredSessions = 0;
            DroppedBytes = 0;
            string[] names = _files.List(_dir);
            // A truncation cut between deleting the torn original and moving its intact copy into
            // place: the copy is complete (it was closed before the delete), finish the move.
            for (int n = 0; n < names.Length; n++)
            {
                int id = ParseId(names[n], ".tmp");
                if (id < 0) continue;
                if (_files.Length(PathOf(id)) < 0) _files.Rename(TempOf(id), PathOf(id));
                else _files.Delete(TempOf(id));
            }
            names = _files.List(_dir);
            int maxId = 0;
            for (int n = 0; n < names.Length; n++)
            {
                int id = ParseId(names[n], ".hs");
                if (id < 0) continue;
                if (id > maxId) maxId = id;
                if (_count == MaxSessions) break;
                SessionInfo? s = Scan(id);
                if (s == null)
                {
                    _files.Delete(PathOf(id)); // not even a header survived: nothing to keep
                    continue;
                }
                if (_files.Length(MarkerOf(id)) >= 0) s.Flags |= SessionEntry.FlagDownloaded;
                Insert(s);
            }
            // Markers whose session is gone are leftovers of an interrupted erase.
            for (int n = 0; n < names.Length; n++)
            {
                int id = ParseId(names[n], ".dl");
                if (id >= 0 && Find(id) == null) _files.Delete(MarkerOf(id));
            }
            int stored = ReadNextId();
            _nextId = stored > maxId ? stored : maxId + 1;
        }

        private void Insert(SessionInfo s)
        {
            // Keep ascending id order: the oldest first.
            int i = _count;
            while (i > 0 && _sessions[i - 1]!.Id > s.Id)
            {
                _sessions[i] = _sessions[i - 1];
                i--;
            }
            _sessions[i] = s;
            _count++;
        }

        private SessionInfo? Scan(int id)
        {
            string path = PathOf(id);
            int fileLength = _files.Length(path);
            var s = new SessionInfo();
            s.Id = id;
            s.Path = path;
            int pos = 0;
            bool closed = false;
            while (pos < fileLength)
            {
                int got = _files.Read(path, pos, _scan, 0, _scan.Length);
                if (got <= 0) break;
                int type, payload;
                uint seq;
                int total = SessionFormat.Check(_scan, 0, got, out type, out payload, out seq);
                if (total == 0 || seq != s.NextSequence || (seq == 0) != (type == SessionFormat.ChunkHeader)) break;
                if (type == SessionFormat.ChunkHeader) ReadHeader(s, payload);
                else if (type == SessionFormat.ChunkFrames) ReadFramesPrefix(s);
                else if (type == SessionFormat.ChunkEnd) closed = true;
                s.CrcState = Crc32.Update(s.CrcState, _scan, 0, total);
                s.NextSequence++;
                pos += total;
            }
            if (pos == 0) return null;
            s.Length = pos;
            if (closed) s.Flags |= SessionEntry.FlagClosed;
            if (pos < fileLength)
            {
                DroppedBytes += fileLength - pos;
                RecoveredSessions++;
                s.Flags |= SessionEntry.FlagRecovered;
                if (!Truncate(id, path, pos)) return null;
            }
            return s;
        }

        private void ReadHeader(SessionInfo s, int payload)
        {
            var r = new ByteReader(_scan, SessionFormat.HeaderBytes, payload);
            r.U8(); // format version
            int serial = r.U8();
            r.Skip(serial + 3 + 2);
            s.StartUnixMs = r.I64();
            s.StartDeviceMs = r.U32();
            int rate = r.U8();
            if (rate > 0) s.FrameRateHz = rate;
        }

        private void ReadFramesPrefix(SessionInfo s)
        {
            var r = new ByteReader(_scan, SessionFormat.HeaderBytes, SessionFrames.PrefixBytes);
            long first = r.U32();
            int count = r.U8();
            if (count > 0) s.LastFrameIndex = first + count - 1;
        }

        // Copies the intact prefix to a temp file and renames it over the original: a power cut
        // while copying leaves the original (still torn, recovered again at the next boot); one
        // inside the rename leaves the complete copy, which the next boot moves into place.
        private bool Truncate(int id, string path, int length)
        {
            string temp = TempOf(id);
            int pos = 0;
            bool first = true;
            while (pos < length)
            {
                int want = length - pos > _scan.Length ? _scan.Length : length - pos;
                int got = _files.Read(path, pos, _scan, 0, want);
                if (got != want) return false;
                bool ok = first ? _files.Write(temp, _scan, 0, got) : _files.Append(temp, _scan, 0, got);
                if (!ok) return false;
                first = false;
                pos += got;
            }
            return _files.Rename(temp, path);
        }

        private int ReadNextId()
        {
            if (_files.Read(_dir + "next.id", 0, _idBuffer, 0, 4) != 4) return 0;
            return _idBuffer[0] | (_idBuffer[1] << 8) | (_idBuffer[2] << 16) | (_idBuffer[3] << 24);
        }

        /// <summary>
        /// A new, empty session (its header chunk is the recorder's first append). A full table
        /// makes room as full flash does, by the oldest downloaded session; null if every session
        /// in it is still waiting for a download.
        /// </summary>
        public SessionInfo? Create()
        {
            if (_count == MaxSessions && !EvictOldestDownloaded()) return null;
            int id = _nextId++;
            _idBuffer[0] = (byte)_nextId;
            _idBuffer[1] = (byte)(_nextId >> 8);
            _idBuffer[2] = (byte)(_nextId >> 16);
            _idBuffer[3] = (byte)(_nextId >> 24);
            _files.Write(_dir + "next.id", _idBuffer, 0, 4);
            var s = new SessionInfo();
            s.Id = id;
            s.Path = PathOf(id);
            s.Flags = SessionEntry.FlagRecording;
            Insert(s);
            return s;
        }

        /// <summary>Appends a sealed chunk to the session and closes the file. False when the flash refused it.</summary>
        public bool Append(SessionInfo s, byte[] chunk, int length)
        {
            if (!_files.Append(s.Path, chunk, 0, length)) return false;
            s.Length += length;
            s.CrcState = Crc32.Update(s.CrcState, chunk, 0, length);
            s.NextSequence++;
            return true;
        }

        /// <summary>Removes a session that never got its header onto flash.</summary>
        public void Discard(SessionInfo s)
        {
            _files.Delete(s.Path);
            Remove(s.Id);
        }

        public int Read(SessionInfo s, int position, byte[] buffer, int offset, int count)
        {
            return _files.Read(s.Path, position, buffer, offset, count);
        }

        /// <summary>The host has stored the session and its CRC matched: it may now be evicted.</summary>
        public ResultCode MarkDownloaded(int id, uint crc)
        {
            SessionInfo? s = Find(id);
            if (s == null) return ResultCode.NotFound;
            if (s.Recording) return ResultCode.InvalidState;
            if (s.Crc != crc) return ResultCode.CrcMismatch;
            if (!_files.Write(MarkerOf(id), _idBuffer, 0, 0)) return ResultCode.InternalError;
            s.Flags |= SessionEntry.FlagDownloaded;
            return ResultCode.Success;
        }

        /// <summary>Erases a session; one never downloaded only with force.</summary>
        public ResultCode Erase(int id, bool force)
        {
            SessionInfo? s = Find(id);
            if (s == null) return ResultCode.NotFound;
            if (s.Recording) return ResultCode.InvalidState;
            if (!s.Downloaded && !force) return ResultCode.NotDownloaded;
            if (!_files.Delete(PathOf(id))) return ResultCode.InternalError;
            _files.Delete(MarkerOf(id));
            Remove(id);
            return ResultCode.Success;
        }

        /// <summary>Deletes the oldest downloaded session to make room; false when there is none.</summary>
        public bool EvictOldestDownloaded()
        {
            for (int i = 0; i < _count; i++)
            {
                SessionInfo s = _sessions[i]!;
                if (s.Downloaded && !s.Recording) return Erase(s.Id, false) == ResultCode.Success;
            }
            return false;
        }

        private void Remove(int id)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_sessions[i]!.Id != id) continue;
                for (int j = i; j < _count - 1; j++) _sessions[j] = _sessions[j + 1];
                _count--;
                _sessions[_count] = null;
                return;
            }
        }
    }
}
