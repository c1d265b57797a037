using System;

namespace HingeSensor.Simulation.Body
{
    /// <summary>
    /// Who wears the sensors: height, flexibility and habitual posture. The posture is given as the
    /// absolute sagittal inclination of each segment when standing tall (degrees, + forward):
    /// anterior pelvic tilt, lumbar lordosis (lumbar segment leaning back), thoracic kyphosis and a
    /// forward head. Calibration absorbs it; it changes where the sensors sit and how they move.
    /// </summary>
    public sealed record Person
    {
        public string Name { get; init; } = "person";
        public double HeightCm { get; init; } = 175;

        /// <summary>0 = stiff hamstrings (shallow hinge, less pelvic tilt), 1 = very flexible.</summary>
        public double Flexibility { get; init; } = 0.5;

        public double PelvisTiltDeg { get; init; } = 10;
        public double LumbarDeg { get; init; } = -8;
        public double LowerThoraxDeg { get; init; } = 4;
        public double UpperThoraxDeg { get; init; } = 16;
        public double NeckDeg { get; init; } = 22;
        public double HeadDeg { get; init; } = -4;

        /// <summary>Scales every movement duration (1 = typical, 1.3 = slow lifter).</summary>
        public double Tempo { get; init; } = 1.0;

        public void Validate()
        {
            if (HeightCm < 120 || HeightCm > 230) throw new ArgumentException($"person '{Name}': height_cm {HeightCm} outside 120-230");
            if (Flexibility < 0 || Flexibility > 1) throw new ArgumentException($"person '{Name}': flexibility {Flexibility} outside 0-1");
            if (Tempo < 0.5 || Tempo > 2) throw new ArgumentException($"person '{Name}': tempo {Tempo} outside 0.5-2");
        }

        /// <summary>Neutral joint flexions (rad) that produce the habitual absolute inclinations.</summary>
        public double[] NeutralFlexions()
        {
            const double r = Math.PI / 180;
            // Joint flexion = child inclination − parent inclination (shank and thigh vertical).
            return new[]
            {
                PelvisTiltDeg * r,                       // hip
                (LumbarDeg - PelvisTiltDeg) * r,          // L5/S1
                (LowerThoraxDeg - LumbarDeg) * r,         // T12
                (UpperThoraxDeg - LowerThoraxDeg) * r,    // T7
                (NeckDeg - UpperThoraxDeg) * r,           // C7
                (HeadDeg - NeckDeg) * r,                  // C0
            };
        }
    }
}
