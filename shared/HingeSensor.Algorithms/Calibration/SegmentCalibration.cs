using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>
    /// How one sensor sits on its segment, and how well that is known. The segment frame is x
    /// forward, y to the wearer's left, z up in the neutral stance.
    /// </summary>
    public sealed class SegmentCalibration
    {
        /// <summary>Segment → sensor rotation. Valid when <see cref="HasHinge"/>.</summary>
        public Quaternion SegmentToSensor = Quaternion.Identity;

        /// <summary>Up in the sensor frame during the neutral stance (the segment's z axis).</summary>
        public Vector3 NeutralUp = Vector3.UnitZ;

        /// <summary>
        /// The accelerometer's own offset, m/s², sensor frame, found in the hinge and removed from
        /// its readings by the filter (zero until a hinge found one). <see cref="NeutralUp"/> is the
        /// vertical with it removed. Three floats, not a Vector3 field: on the device a struct field
        /// is a boxed object of its own (24 B more per segment, six segments).
        /// </summary>
        public Vector3 AccelBias
        {
            get { return new Vector3(_accelBiasX, _accelBiasY, _accelBiasZ); }
            set { _accelBiasX = value.X; _accelBiasY = value.Y; _accelBiasZ = value.Z; }
        }

        private float _accelBiasX, _accelBiasY, _accelBiasZ;

        public bool HasNeutral;
        public bool HasHinge;
        public int NeutralSamples;

        /// <summary>RMS spread of the gravity direction during neutral, degrees.</summary>
        public float NeutralSpreadDeg;

        /// <summary>RMS angular rate during neutral, °/s.</summary>
        public float NeutralRateDps;

        /// <summary>Furthest tilt from neutral during the hinge, degrees.</summary>
        public float HingeAmplitudeDeg;

        /// <summary>Share of the hinge rotation about one axis (1 = a pure hinge).</summary>
        public float HingePlanarity;

        /// <summary>Angle of the hinge axis out of the horizontal plane, degrees (0 = a pure hinge).</summary>
        public float HingeAxisTiltDeg;

        public void Clear()
        {
            SegmentToSensor = Quaternion.Identity;
            NeutralUp = Vector3.UnitZ;
            AccelBias = Vector3.Zero;
            HasNeutral = false;
            HasHinge = false;
            NeutralSamples = 0;
            NeutralSpreadDeg = 0f;
            NeutralRateDps = 0f;
            HingeAmplitudeDeg = 0f;
            HingePlanarity = 0f;
            HingeAxisTiltDeg = 0f;
        }

        public void CopyFrom(SegmentCalibration o)
        {
            SegmentToSensor = o.SegmentToSensor;
            NeutralUp = o.NeutralUp;
            _accelBiasX = o._accelBiasX;
            _accelBiasY = o._accelBiasY;
            _accelBiasZ = o._accelBiasZ;
            HasNeutral = o.HasNeutral;
            HasHinge = o.HasHinge;
            NeutralSamples = o.NeutralSamples;
            NeutralSpreadDeg = o.NeutralSpreadDeg;
            NeutralRateDps = o.NeutralRateDps;
            HingeAmplitudeDeg = o.HingeAmplitudeDeg;
            HingePlanarity = o.HingePlanarity;
            HingeAxisTiltDeg = o.HingeAxisTiltDeg;
        }

        /// <summary>
        /// One quality figure in [0, 1]: 1 is a perfectly still neutral and a pure horizontal-axis
        /// hinge; it falls linearly to 0 at the acceptance limits.
        /// </summary>
        public float Quality(CalibrationSettings s)
        {
            if (!HasNeutral) return 0f;
            float q = 1f - NeutralSpreadDeg / s.MaxNeutralSpreadDeg;
            if (HasHinge)
            {
                q = FloatMath.Min(q, (HingePlanarity - s.MinHingePlanarity) / (1f - s.MinHingePlanarity));
                q = FloatMath.Min(q, 1f - HingeAxisTiltDeg / s.MaxHingeAxisTiltDeg);
            }
            return FloatMath.Clamp(q, 0f, 1f);
        }
    }
}
