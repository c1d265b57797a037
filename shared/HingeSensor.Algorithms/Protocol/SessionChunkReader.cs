namespace HingeSensor.Algorithms.Protocol
{
    /// <summary>
    /// Walks the chunks of a session file held in memory, stopping at the first that is torn,
    /// corrupt or out of sequence. <see cref="ValidLength"/> is then where the intact part ends.
    /// </summary>
    public sealed class SessionChunkReader
    {
        private readonly byte[] _data;
        private readonly int _length;
        private int _position;
        private uint _nextSequence;

        public SessionChunkReader(byte[] data, int length)
        {
            _data = data;
            _length = length;
        }

        public int ValidLength { get { return _position; } }

        /// <summary>True when bytes follow the last intact chunk (a torn or corrupt tail).</summary>
        public bool HasInvalidTail { get { return _position < _length; } }

        public int Type;
        public int PayloadOffset;
        public int PayloadLength;
        public uint Sequence;

        /// <summary>Moves to the next intact chunk; false at the end or at the first bad one.</summary>
        public bool Next()
        {
            if (_position >= _length) return false;
            int type, payload;
            uint seq;
            int total = SessionFormat.Check(_data, _position, _length - _position, out type, out payload, out seq);
            if (total == 0 || seq != _nextSequence || (seq == 0) != (type == SessionFormat.ChunkHeader)) return false;
            Type = type;
            PayloadOffset = _position + SessionFormat.HeaderBytes;
            PayloadLength = payload;
            Sequence = seq;
            _position += total;
            _nextSequence++;
            return true;
        }
    }
}
