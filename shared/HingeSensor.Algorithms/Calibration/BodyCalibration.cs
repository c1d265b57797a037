using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>Everything calibration knows about the wearer: the three mountings and the optional range.</summary>
    public sealed class BodyCalibration
    {
        /// <summary>Indexed by <see cref="Segment"/>.</summary>
        public readonly SegmentCalibration[] Segments;

        public bool HasRange;

        /// <summary>Trunk flexion at the full toe touch, degrees (100 % of the range).</summary>
        public float RangeTrunkFlexionDeg;

        /// <summary>Torso angle at the full toe touch, degrees.</summary>
        public float RangeTorsoAngleDeg;

        public BodyCalibration()
        {
            Segments = new SegmentCalibration[Sensing.Segments.Count];
            for (int i = 0; i < Segments.Length; i++) Segments[i] = new SegmentCalibration();
        }

        /// <summary>Neutral and hinge done for every sensor: sagittal angles are defined.</summary>
        public bool IsComplete
        {
            get
            {
                for (int i = 0; i < Segments.Length; i++)
                    if (!Segments[i].HasHinge) return false;
                return true;
            }
        }

        public bool IsSegmentReady(int segment) { return Segments[segment].HasHinge; }

        public void Clear()
        {
            for (int i = 0; i < Segments.Length; i++) Segments[i].Clear();
            HasRange = false;
            RangeTrunkFlexionDeg = 0f;
            RangeTorsoAngleDeg = 0f;
        }

        public void CopyFrom(BodyCalibration o)
        {
            for (int i = 0; i < Segments.Length; i++) Segments[i].CopyFrom(o.Segments[i]);
            HasRange = o.HasRange;
            RangeTrunkFlexionDeg = o.RangeTrunkFlexionDeg;
            RangeTorsoAngleDeg = o.RangeTorsoAngleDeg;
        }
    }
}
