using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Protocol
{
    /// <summary>One live sample as it goes over BLE (see <see cref="LivePacket"/>).</summary>
    public struct LiveFrame
    {
        /// <summary>Frame counter, wraps at 65536: the host counts gaps with it.</summary>
        public int Sequence;

        /// <summary>Device time, ms since boot (wraps after 49 days).</summary>
        public uint TimeMs;

        /// <summary>Segment → Earth orientations (sensor → Earth until calibrated), full frames only.</summary>
        public Quaternion Head;
        public Quaternion UpperBack;
        public Quaternion Sacrum;

        public float TrunkFlexionDeg;
        public float HeadFlexionDeg;
        public float HingeDeg;
        public float TorsoDeg;
        public float DowelGapCm;

        /// <summary>RepPhase as a number (0-3).</summary>
        public int Phase;

        /// <summary>Active faults, bit per Fault.</summary>
        public int FaultMask;

        /// <summary>Valid segments, bit per Segment.</summary>
        public int ValidMask;

        /// <summary>Counted reps so far, modulo 256.</summary>
        public int RepCount;
    }
}
