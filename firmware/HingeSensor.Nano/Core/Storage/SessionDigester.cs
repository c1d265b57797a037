using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>
    /// Computes each session's SHA-256 (the digest a host must echo before the device lets go of
    /// a session) in the background, at most one <see cref="Sha256.Step"/> — eight rounds, an
    /// eighth of a 64-byte block, ≈46,000 x86 instructions of nanoCLR — per main-loop pass.
    ///
    /// Why bounded steps and not hashing each chunk as it is appended: one block costs about a
    /// whole 10 ms pass on the interpreter, and a chunk is 3 to 17 blocks, so hashing at append
    /// time would overrun the pass that flushes by up to 17 times. At one step per pass the
    /// digester reads back 800 bytes a second from flash, four times what a recording writes
    /// (183 B/s), so the recording session's digest keeps up while it grows and is ready within
    /// about a second of its end. Sessions found at boot without a valid digest record (the one
    /// recording when the power went, a damaged record) are hashed oldest first, and a download
    /// waiting for its digest goes before them. Digests are saved in each session's record, so
    /// a reboot does not start over.
    /// </summary>
    public sealed class SessionDigester
    {
        private const int ReadBytes = 256;

        private sealed class Context
        {
            public readonly Sha256 Sha = new Sha256();
            public readonly byte[] Buffer = new byte[ReadBytes];
            public readonly byte[] Padding = new byte[Sha256.MaxPaddingBytes];
            public SessionInfo? Target;
            public int Fed;
            public int BufferStart;
            public int BufferEnd;
            public bool Padded;
            public int PaddingLength;
            public int PaddingFed;

            public void Attach(SessionInfo? s)
            {
                Target = s;
                Sha.Reset();
                Fed = 0;
                BufferStart = 0;
                BufferEnd = 0;
                Padded = false;
                PaddingLength = 0;
                PaddingFed = 0;
            }
        }

        private readonly SessionStore _store;
        private readonly Context _recording = new Context(); // the session being recorded: never interrupted
        private readonly Context _backlog = new Context();   // the others, oldest first
        private SessionInfo? _nextRecording;
        private bool _lookForBacklog;

        public SessionDigester(SessionStore store) { _store = store; }

        /// <summary>A session whose digest someone waits for (a download at its end): it goes first.</summary>
        public SessionInfo? Urgent;

        /// <summary>True while some session's digest is still to be computed.</summary>
        public bool Busy { get { return _recording.Target != null || _backlog.Target != null || _lookForBacklog; } }

        internal void Restart()
        {
            _recording.Attach(null);
            _backlog.Attach(null);
            _nextRecording = null;
            Urgent = null;
            _lookForBacklog = true;
        }

        /// <summary>A session starts recording: hashed as it grows.</summary>
        internal void Track(SessionInfo s)
        {
            if (_recording.Target == null) _recording.Attach(s);
            else _nextRecording = s; // the previous one is still being finished
        }

        /// <summary>A session's digest is to be computed again.</summary>
        internal void Recheck() { _lookForBacklog = true; }

        /// <summary>A session is gone (erased, evicted, discarded).</summary>
        internal void Forget(SessionInfo s)
        {
            if (_recording.Target == s) Finished(_recording);
            if (_backlog.Target == s) Finished(_backlog);
            if (_nextRecording == s) _nextRecording = null;
            if (Urgent == s) Urgent = null;
        }

        /// <summary>One step of work at most: call once per main-loop pass.</summary>
        public void Pump()
        {
            SessionInfo? urgent = Urgent;
            if (urgent != null && urgent.DigestState == SessionInfo.DigestPending && !urgent.Recording
                && _recording.Target != urgent && _backlog.Target != urgent)
            {
                if (_backlog.Target != null) _lookForBacklog = true; // its progress is lost: back to it later
                _backlog.Attach(urgent);
            }
            if (urgent != null && _backlog.Target == urgent && Work(_backlog)) return;
            if (Work(_recording)) return;
            if (_backlog.Target == null && _lookForBacklog)
            {
                SessionInfo? next = _store.NextWithoutDigest(_recording.Target);
                if (next == null) _lookForBacklog = false;
                else _backlog.Attach(next);
            }
            Work(_backlog);
        }

        // Feeds the next bytes (file, then padding) and runs one step; false when there was
        // nothing to do (no target, or a recording session already hashed as far as it goes).
        private bool Work(Context c)
        {
            SessionInfo? s = c.Target;
            if (s == null) return false;
            Sha256 sha = c.Sha;
            if (sha.Pending)
            {
                sha.Step();
                return true;
            }
            if (!c.Padded)
            {
                if (c.Fed < s.Length)
                {
                    if (c.Fed >= c.BufferEnd)
                    {
                        int want = s.Length - c.Fed < ReadBytes ? s.Length - c.Fed : ReadBytes;
                        if (_store.Read(s, c.Fed, c.Buffer, 0, want) != want)
                        {
                            s.DigestState = SessionInfo.DigestUnreadable;
                            Finished(c);
                            return true;
                        }
                        c.BufferStart = c.Fed;
                        c.BufferEnd = c.Fed + want;
                    }
                    c.Fed += sha.Feed(c.Buffer, c.Fed - c.BufferStart, c.BufferEnd - c.Fed);
                    sha.Step();
                    return true;
                }
                if (s.Recording) return false; // more comes with its next chunk
                c.PaddingLength = Sha256.Padding(c.Fed, c.Padding, 0);
                c.Padded = true;
            }
            if (c.PaddingFed < c.PaddingLength)
            {
                c.PaddingFed += sha.Feed(c.Padding, c.PaddingFed, c.PaddingLength - c.PaddingFed);
                sha.Step();
                return true;
            }
            _store.SaveDigest(s, sha); // lost, it is computed again after the next boot
            Finished(c);
            return true;
        }

        private void Finished(Context c)
        {
            c.Attach(null);
            if (c != _recording || _nextRecording == null) return;
            c.Attach(_nextRecording);
            _nextRecording = null;
        }
    }
}
