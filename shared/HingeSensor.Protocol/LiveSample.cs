namespace HingeSensor.Protocol
{
    /// <summary>
    /// One live frame as the device fills it in place before encoding (<see cref="LivePacket.WriteFrame(byte[], int, int, LiveSample)"/>):
    /// the fields of <see cref="LiveFrame"/> with the orientations as plain floats, because on the
    /// nanoFramework interpreter every struct copy (a <see cref="LiveFrame"/>, a quaternion) is a
    /// heap allocation. The host decodes into <see cref="LiveFrame"/>.
    /// </summary>
    public sealed class LiveSample
    {
        public int Sequence;
        public uint TimeMs;

        /// <summary>Segment → Earth orientations by segment (head, upper back, sacrum), four floats each, scalar first.</summary>
        public readonly float[] Orientations = new float[12];

        public float TrunkFlexionDeg;
        public float HeadFlexionDeg;
        public float HingeDeg;
        public float TorsoDeg;
        public float DowelGapCm;
        public int Phase;
        public int FaultMask;
        public int ValidMask;
        public int RepCount;

        /// <summary>Fills this from a decoded/host-made frame (tests, the host's scripted links).</summary>
        public void CopyFrom(ref LiveFrame f)
        {
            Sequence = f.Sequence;
            TimeMs = f.TimeMs;
            SetOrientation(0, f.Head.W, f.Head.X, f.Head.Y, f.Head.Z);
            SetOrientation(1, f.UpperBack.W, f.UpperBack.X, f.UpperBack.Y, f.UpperBack.Z);
            SetOrientation(2, f.Sacrum.W, f.Sacrum.X, f.Sacrum.Y, f.Sacrum.Z);
            TrunkFlexionDeg = f.TrunkFlexionDeg;
            HeadFlexionDeg = f.HeadFlexionDeg;
            HingeDeg = f.HingeDeg;
            TorsoDeg = f.TorsoDeg;
            DowelGapCm = f.DowelGapCm;
            Phase = f.Phase;
            FaultMask = f.FaultMask;
            ValidMask = f.ValidMask;
            RepCount = f.RepCount;
        }

        public void SetOrientation(int segment, float w, float x, float y, float z)
        {
            int k = 4 * segment;
            Orientations[k] = w;
            Orientations[k + 1] = x;
            Orientations[k + 2] = y;
            Orientations[k + 3] = z;
        }
    }
}
