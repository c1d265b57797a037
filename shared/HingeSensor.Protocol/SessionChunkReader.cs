namespace HingeSensor.Protocol
{
    /// <summary>
    /// Walks the chunks of a session file held in memory. A chunk that fails its check costs that
    /// chunk only: the reader resynchronises on the next chunk that checks and says what it
    /// skipped (<see cref="HoleLength"/>); only when no intact chunk follows is the rest a torn or
    /// damaged tail. <see cref="ValidLength"/> is where the last intact chunk ends.
    /// </summary>
    public sealed class SessionChunkReader
    {
        private readonly byte[] _data;
        private readonly int _length;
        private int _position;
        private long _last = -1;

        public SessionChunkReader(byte[] data, int length)
        {
            _data = data;
            _length = length;
        }

        public int ValidLength { get { return _position; } }

        /// <summary>True when bytes follow the last intact chunk (a torn or damaged tail).</summary>
        public bool HasInvalidTail { get { return _position < _length; } }

        public int Type;
        public int PayloadOffset;
        public int PayloadLength;
        public uint Sequence;

        /// <summary>Sequence of the intact chunk before this one, −1 if none.</summary>
        public long PreviousSequence = -1;

        /// <summary>Damaged bytes skipped just before this chunk (0: none), from <see cref="HoleOffset"/>.</summary>
        public int HoleOffset;
        public int HoleLength;

        /// <summary>Moves to the next intact chunk, over any damaged ones; false at the end or when only a damaged tail is left.</summary>
        public bool Next()
        {
            HoleLength = 0;
            if (_position >= _length) return false;
            int type, payload;
            uint seq;
            int at = _position;
            int total = SessionFormat.CheckNext(_data, at, _length - at, _last, out type, out payload, out seq);
            if (total == 0)
            {
                at = Resynchronise(_position + 1);
                if (at < 0) return false;
                total = SessionFormat.CheckNext(_data, at, _length - at, _last, out type, out payload, out seq);
                HoleOffset = _position;
                HoleLength = at - _position;
            }
            Type = type;
            PayloadOffset = at + SessionFormat.HeaderBytes;
            PayloadLength = payload;
            Sequence = seq;
            PreviousSequence = _last;
            _position = at + total;
            _last = seq;
            return true;
        }

        // The whole file is here: a candidate running past its end cannot be a chunk, look on.
        private int Resynchronise(int from)
        {
            while (from < _length)
            {
                int incomplete;
                int found = SessionFormat.FindNext(_data, from, _length - from, _last, out incomplete);
                if (found >= 0 || incomplete < 0) return found;
                from = incomplete + 1;
            }
            return -1;
        }
    }
}
