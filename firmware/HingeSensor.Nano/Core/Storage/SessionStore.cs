using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>
    /// The sessions on flash: one file per session (S00001.hs), its digest record (S00001.dg: the
    /// SHA-256 of the file and whether the host has stored that content) and the next free id
    /// (next.id), every record with a check. At boot <see cref="Recover"/> checks every chunk of
    /// every session: a damaged chunk inside a file is kept as a hole (readers skip it), a torn
    /// tail is cut off in place, so what remains is every chunk that was closed before the power
    /// went and nothing needs free space to keep it.
    /// </summary>
    public sealed class SessionStore : ISessionCatalog
    {
        /// <summary>
        /// Sessions the device keeps track of: a month of daily training between downloads, more
        /// than the internal drive holds (about 190 KB: two files of 4 KB blocks each); an SD card
        /// holds more, and the oldest downloaded one makes room. Each costs about 200 bytes of
        /// heap for as long as the device runs (firmware README, memory).
        /// </summary>
        public const int MaxSessions = 32;

        /// <summary>Ids travel as u16 and name files with five digits: 1 .. 65535, then round again.</summary>
        public const int MaxId = 65535;

        // One chunk of the largest size: a chunk that starts inside the window and runs past its
        // end is read again from its start, whole.
        private const int ScanBuffer = SessionFormat.MaxPayload + SessionFormat.Overhead;
        private const int DigestRecordBytes = 2 + 4 + Sha256.DigestBytes + 1;
        private const int DigestRecordDownloaded = 1;

        private readonly IFileStore _files;
        private readonly IRandomSource _random;
        private readonly string _dir;
        private readonly string _nextIdPath;
        private readonly SessionInfo?[] _sessions = new SessionInfo?[MaxSessions];
        private readonly byte[] _scan = new byte[ScanBuffer];
        private readonly RecordFile _digestRecord;
        private readonly RecordFile _idRecord;
        // The files in use — the one recording, the one downloading, the one being digested —
        // hold their path (made once, read on every chunk); the others hold none, where one string
        // per table entry cost 1.5 KB of heap. The oldest holder lets go when a fourth file is used.
        private const int PathSlots = 3;
        private readonly SessionInfo?[] _pathHolders = new SessionInfo?[PathSlots];
        private int _nextPathSlot;
        private int _count;
        private int _nextId = 1;
        private bool _unreadable; // the last Scan met a read error

        public SessionStore(IFileStore files, string directory, IRandomSource random)
        {
            _files = files;
            _dir = directory;
            _random = random;
            _nextIdPath = directory + "next.id";
            _digestRecord = new RecordFile(files, 'G', 1, DigestRecordBytes);
            _idRecord = new RecordFile(files, 'N', 1, 2);
            Digester = new SessionDigester(this);
        }

        /// <summary>Computes the sessions' digests a few rounds per main-loop pass.</summary>
        public readonly SessionDigester Digester;

        public int Count { get { return _count; } }
        public SessionInfo At(int i) { return _sessions[i]!; }

        /// <summary>Sessions whose torn tail was cut off at the last boot.</summary>
        public int RecoveredSessions;

        /// <summary>Bytes dropped from torn tails at the last boot.</summary>
        public int DroppedBytes;

        /// <summary>Sessions found at the last boot with damaged chunks inside (kept, as holes).</summary>
        public int DamagedSessions;

        /// <summary>A next-id or digest record failed its check at the last boot and was set aside (recomputed).</summary>
        public bool RecordRefused;

        public string PathOf(int id) { return _dir + Name(id, ".hs"); }

        private string FileOf(SessionInfo s)
        {
            string? path = s.Path;
            if (path != null) return path;
            SessionInfo? holder = _pathHolders[_nextPathSlot];
            if (holder != null) holder.Path = null;
            path = PathOf(s.Id);
            s.Path = path;
            _pathHolders[_nextPathSlot] = s;
            _nextPathSlot = (_nextPathSlot + 1) % PathSlots;
            return path;
        }

        private string DigestPathOf(int id) { return _dir + Name(id, ".dg"); }

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

        /// <summary>Scans the directory, keeps every intact chunk, cuts torn tails in place. Call once at boot.</summary>
        public void Recover()
        {
            _count = 0;
            RecoveredSessions = 0;
            DroppedBytes = 0;
            DamagedSessions = 0;
            RecordRefused = false;
            string[] names = _files.List(_dir);
            // Firmware 1.0 cut torn tails by copying to S00001.tmp and renaming: a copy left
            // behind is complete (it was closed before the original was deleted).
            for (int n = 0; n < names.Length; n++)
            {
                int id = ParseId(names[n], ".tmp");
                if (id < 0) continue;
                if (_files.Length(PathOf(id)) < 0) _files.Rename(_dir + names[n], PathOf(id));
                else _files.Delete(_dir + names[n]);
            }
            names = _files.List(_dir);
            int maxId = 0;
            for (int n = 0; n < names.Length; n++)
            {
                int id = ParseId(names[n], ".hs");
                if (id < 0 || id > MaxId) continue;
                if (id > maxId) maxId = id;
                if (_count == MaxSessions) continue;
                SessionInfo? s = Scan(id);
                if (s == null)
                {
                    if (!_unreadable) _files.Delete(PathOf(id)); // not one chunk was ever closed: nothing to keep
                    continue;
                }
                LoadDigestRecord(s);
                Insert(s);
            }
            for (int n = 0; n < names.Length; n++)
            {
                // Records whose session is gone: leftovers of an interrupted erase. Firmware 1.0's
                // markers (S00001.dl) carry no check: not believed, the host marks again.
                int id = ParseId(names[n], ".dg");
                if (id >= 0 && Find(id) == null) _digestRecord.Delete(_dir + names[n]);
                if (ParseId(names[n], ".dl") >= 0) _files.Delete(_dir + names[n]);
            }
            int stored = _idRecord.Load(_nextIdPath) == 2 ? (_idRecord.Buffer[RecordFile.HeaderBytes] | (_idRecord.Buffer[RecordFile.HeaderBytes + 1] << 8)) : 0;
            if (stored == 0 && _files.Length(_nextIdPath) >= 0) RecordRefused = true;
            // A next id lost, refused or older than the files (its save failed) comes back from
            // the files: past every session present. Only after a round of 65535 ids does it start low.
            int afterFiles = maxId >= MaxId ? 1 : maxId + 1;
            _nextId = stored == 0 ? afterFiles : stored > maxId || maxId == MaxId ? stored : afterFiles;
            Digester.Restart();
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

        // Walks the file chunk by chunk. A chunk that fails its check is skipped when an intact
        // one follows it (a hole, kept as it is); with none after it, it is a torn tail, cut off.
        private SessionInfo? Scan(int id)
        {
            string path = PathOf(id);
            int fileLength = _files.Length(path);
            var s = new SessionInfo();
            s.Id = id;
            int pos = 0;
            long last = -1;
            bool closed = false;
            bool unreadable = _unreadable = false;
            while (pos < fileLength)
            {
                int type, payload;
                uint seq;
                int total = ChunkAt(path, pos, fileLength, last, out type, out payload, out seq);
                if (total < 0)
                {
                    unreadable = _unreadable = true; // a flash error is not damage: leave the rest for the next boot
                    break;
                }
                if (total == 0)
                {
                    int next = FindChunk(path, pos + 1, fileLength, last);
                    if (next < 0) break;
                    s.DamagedBytes += next - pos;
                    pos = next;
                    continue;
                }
                if (type == SessionFormat.ChunkHeader) ReadHeader(s, payload);
                else if (type == SessionFormat.ChunkFrames) ReadFramesPrefix(s);
                else if (type == SessionFormat.ChunkEnd) closed = true;
                last = seq;
                pos += total;
            }
            if (last < 0) return null;
            s.Length = pos;
            s.NextSequence = (uint)(last + 1);
            if (closed) s.Flags |= SessionEntry.FlagClosed;
            if (s.DamagedBytes > 0)
            {
                s.Flags |= SessionEntry.FlagDamaged;
                DamagedSessions++;
            }
            if (pos < fileLength && !unreadable)
            {
                DroppedBytes += fileLength - pos;
                RecoveredSessions++;
                s.Flags |= SessionEntry.FlagRecovered;
                // In place: LittleFS commits a truncation atomically, so a cut leaves the torn
                // file (cut again at the next boot) or the cut one, and no free space is needed.
                // Should it fail, the tail stays beyond Length, which is all anyone reads.
                _files.Truncate(path, pos);
            }
            return s;
        }

        // The chunk at pos, read into _scan[0 ..]: its total length, 0 if it fails its check, −1 if unreadable.
        private int ChunkAt(string path, int pos, int fileLength, long last, out int type, out int payload, out uint seq)
        {
            int want = fileLength - pos < _scan.Length ? fileLength - pos : _scan.Length;
            int got = _files.Read(path, pos, _scan, 0, want);
            if (got != want)
            {
                type = 0;
                payload = 0;
                seq = 0;
                return -1;
            }
            return SessionFormat.CheckNext(_scan, 0, got, last, out type, out payload, out seq);
        }

        // The first position from `from` where an intact chunk starts, window by window; −1 if none.
        private int FindChunk(string path, int from, int fileLength, long last)
        {
            int p = from;
            while (p + SessionFormat.Overhead <= fileLength)
            {
                int want = fileLength - p < _scan.Length ? fileLength - p : _scan.Length;
                int got = _files.Read(path, p, _scan, 0, want);
                if (got < SessionFormat.Overhead) return -1;
                int incomplete;
                int found = SessionFormat.FindNext(_scan, 0, got, last, out incomplete);
                if (found >= 0) return p + found;
                if (incomplete < 0) p += got - SessionFormat.Overhead + 1;
                else if (p + incomplete + SessionFormat.Overhead + (_scan[incomplete + 3] | (_scan[incomplete + 4] << 8)) > fileLength) p += incomplete + 1; // runs past the file: not a chunk
                else if (incomplete > 0) p += incomplete; // read it again from its start, whole
                else return -1;
            }
            return -1;
        }

        private void ReadHeader(SessionInfo s, int payload)
        {
            var r = new ByteReader(_scan, SessionFormat.HeaderBytes, payload);
            int format = r.U8();
            int serial = r.U8();
            r.Skip(serial + 3 + 2);
            if (format >= 2) s.Uid = r.I64();
            s.StartUnixMs = r.I64();
            s.StartDeviceMs = r.U32();
            int rate = r.U8();
            if (r.Ok && rate > 0) s.FrameRateHz = rate;
        }

        private void ReadFramesPrefix(SessionInfo s)
        {
            var r = new ByteReader(_scan, SessionFormat.HeaderBytes, SessionFrames.PrefixBytes);
            long first = r.U32();
            int count = r.U8();
            if (count > 0) s.LastFrameIndex = first + count - 1;
        }

        // The digest and the downloaded mark, if a record of exactly this file is there. A record
        // of a file that changed since (a cut tail, damage found) is out of date: recomputed.
        private void LoadDigestRecord(SessionInfo s)
        {
            string path = DigestPathOf(s.Id);
            int n = _digestRecord.Load(path);
            if (n == RecordFile.Missing) return;
            byte[] b = _digestRecord.Buffer;
            int at = RecordFile.HeaderBytes;
            if (n != DigestRecordBytes || (b[at] | (b[at + 1] << 8)) != s.Id)
            {
                RecordRefused = true;
                _digestRecord.Delete(path);
                return;
            }
            int length = b[at + 2] | (b[at + 3] << 8) | (b[at + 4] << 16) | (b[at + 5] << 24);
            if (length != s.Length || s.DamagedBytes > 0 || (s.Flags & SessionEntry.FlagRecovered) != 0)
            {
                _digestRecord.Delete(path);
                return;
            }
            s.SetDigestTag(b, at + 6);
            s.DigestState = SessionInfo.DigestReady;
            if ((b[at + 6 + Sha256.DigestBytes] & DigestRecordDownloaded) != 0) s.Flags |= SessionEntry.FlagDownloaded;
        }

        /// <summary>
        /// The digester finished: the session keeps the digest's tag, and the record on flash keeps
        /// the whole digest (the record's format predates the tag-only table) with the downloaded mark.
        /// </summary>
        public void SaveDigest(SessionInfo s, Sha256 sha)
        {
            byte[] b = _digestRecord.Buffer;
            int at = RecordFile.HeaderBytes;
            sha.ReadDigest(b, at + 6);
            s.SetDigestTag(b, at + 6);
            s.DigestState = SessionInfo.DigestReady;
            SaveDigestRecord(s);
        }

        // Writes the record from the buffer, whose digest bytes are this session's: put there by
        // SaveDigest, or by loading the session's own record just before (MarkDownloaded).
        private bool SaveDigestRecord(SessionInfo s)
        {
            byte[] b = _digestRecord.Buffer;
            int at = RecordFile.HeaderBytes;
            b[at] = (byte)s.Id;
            b[at + 1] = (byte)(s.Id >> 8);
            b[at + 2] = (byte)s.Length;
            b[at + 3] = (byte)(s.Length >> 8);
            b[at + 4] = (byte)(s.Length >> 16);
            b[at + 5] = (byte)(s.Length >> 24);
            b[at + 6 + Sha256.DigestBytes] = (byte)(s.Downloaded ? DigestRecordDownloaded : 0);
            return _digestRecord.Save(DigestPathOf(s.Id), DigestRecordBytes);
        }

        // The session's own, up-to-date digest record in the buffer; false when it is missing or
        // not this file's (its save was lost, or the file changed since).
        private bool LoadOwnDigestRecord(SessionInfo s)
        {
            if (_digestRecord.Load(DigestPathOf(s.Id)) != DigestRecordBytes) return false;
            byte[] b = _digestRecord.Buffer;
            int at = RecordFile.HeaderBytes;
            int length = b[at + 2] | (b[at + 3] << 8) | (b[at + 4] << 16) | (b[at + 5] << 24);
            return (b[at] | (b[at + 1] << 8)) == s.Id && length == s.Length && s.DigestMatches(b, at + 6);
        }

        /// <summary>
        /// A new, empty session (its header chunk is the recorder's first append) with a fresh
        /// random identity. A full table makes room as full flash does, by the oldest downloaded
        /// session; null if every session in it is still waiting for a download.
        /// </summary>
        public SessionInfo? Create()
        {
            if (_count == MaxSessions && !EvictOldestDownloaded()) return null;
            int id = _nextId;
            while (Find(id) != null) id = id == MaxId ? 1 : id + 1; // after a round of 65535: past those still here
            _nextId = id == MaxId ? 1 : id + 1;
            _idRecord.Buffer[RecordFile.HeaderBytes] = (byte)_nextId;
            _idRecord.Buffer[RecordFile.HeaderBytes + 1] = (byte)(_nextId >> 8);
            _idRecord.Save(_nextIdPath, 2); // lost, it is recomputed from the files at the next boot
            var s = new SessionInfo();
            s.Id = id;
            s.Flags = SessionEntry.FlagRecording;
            while (s.Uid == 0)
            {
                _random.Fill(_scan, 0, 8);
                s.Uid = new ByteReader(_scan, 0, 8).I64();
            }
            Insert(s);
            Digester.Track(s);
            return s;
        }

        /// <summary>Appends a sealed chunk to the session and closes the file. False when the flash refused it.</summary>
        public bool Append(SessionInfo s, byte[] chunk, int length)
        {
            if (!_files.Append(FileOf(s), chunk, 0, length)) return false;
            s.Length += length;
            s.NextSequence++;
            return true;
        }

        /// <summary>Removes a session that never got its header onto flash.</summary>
        public void Discard(SessionInfo s)
        {
            _files.Delete(FileOf(s));
            Remove(s);
        }

        public int Read(SessionInfo s, int position, byte[] buffer, int offset, int count)
        {
            return _files.Read(FileOf(s), position, buffer, offset, count);
        }

        /// <summary>
        /// The host has stored the session and says what it holds: the first 12 bytes of its
        /// SHA-256, at tag[offset ..]. Marked only when that is this file's digest; then it may be
        /// evicted or erased.
        /// </summary>
        public ResultCode MarkDownloaded(int id, byte[] tag, int offset)
        {
            SessionInfo? s = Find(id);
            if (s == null) return ResultCode.NotFound;
            ResultCode checkedDigest = CheckDigest(s, tag, offset);
            if (checkedDigest == ResultCode.DigestMismatch && !s.Rechecked)
            {
                // The digest may predate damage the flash took since (boot found none): hash the
                // file as it is now, once; until then MarkDownloaded answers InvalidState.
                s.Rechecked = true;
                s.DigestState = SessionInfo.DigestPending;
                Digester.Recheck();
            }
            if (checkedDigest != ResultCode.Success) return checkedDigest;
            if (!LoadOwnDigestRecord(s))
            {
                // The digest's record was lost (a save the flash refused): compute it again, and
                // answer as while it is pending; the host asks again.
                s.DigestState = SessionInfo.DigestPending;
                Digester.Recheck();
                return ResultCode.InvalidState;
            }
            s.Flags |= SessionEntry.FlagDownloaded;
            if (SaveDigestRecord(s)) return ResultCode.Success;
            s.Flags &= ~SessionEntry.FlagDownloaded;
            return ResultCode.InternalError;
        }

        /// <summary>Erases a session: without force only one marked downloaded, named by its digest tag.</summary>
        public ResultCode Erase(int id, bool force, byte[] tag, int offset)
        {
            SessionInfo? s = Find(id);
            if (s == null) return ResultCode.NotFound;
            if (s.Recording) return ResultCode.InvalidState;
            if (!force)
            {
                ResultCode checkedDigest = CheckDigest(s, tag, offset);
                if (checkedDigest != ResultCode.Success) return checkedDigest;
                if (!s.Downloaded) return ResultCode.NotDownloaded;
            }
            return Delete(s) ? ResultCode.Success : ResultCode.InternalError;
        }

        private static ResultCode CheckDigest(SessionInfo s, byte[] tag, int offset)
        {
            if (s.Recording || s.DigestState == SessionInfo.DigestPending) return ResultCode.InvalidState;
            if (s.DigestState == SessionInfo.DigestUnreadable) return ResultCode.InternalError;
            return s.DigestMatches(tag, offset) ? ResultCode.Success : ResultCode.DigestMismatch;
        }

        /// <summary>Deletes the oldest session the host confirmed it holds, to make room; false when there is none.</summary>
        public bool EvictOldestDownloaded()
        {
            for (int i = 0; i < _count; i++)
            {
                SessionInfo s = _sessions[i]!;
                if (s.Downloaded && !s.Recording && s.DigestState == SessionInfo.DigestReady) return Delete(s);
            }
            return false;
        }

        private bool Delete(SessionInfo s)
        {
            if (!_files.Delete(FileOf(s))) return false;
            _digestRecord.Delete(DigestPathOf(s.Id));
            Remove(s);
            return true;
        }

        private void Remove(SessionInfo s)
        {
            Digester.Forget(s);
            for (int i = 0; i < PathSlots; i++)
                if (_pathHolders[i] == s) _pathHolders[i] = null;
            for (int i = 0; i < _count; i++)
            {
                if (_sessions[i] != s) continue;
                for (int j = i; j < _count - 1; j++) _sessions[j] = _sessions[j + 1];
                _count--;
                _sessions[_count] = null;
                return;
            }
        }

        /// <summary>The oldest session that waits for its digest and is not being recorded, or null.</summary>
        public SessionInfo? NextWithoutDigest(SessionInfo? except)
        {
            for (int i = 0; i < _count; i++)
            {
                SessionInfo s = _sessions[i]!;
                if (s.DigestState == SessionInfo.DigestPending && !s.Recording && s != except) return s;
            }
            return null;
        }
    }
}
