using System;

namespace HingeSensor.Simulation.Truth
{
    /// <summary>
    /// What one scripted rep truly did, gathered sample by sample: the standing posture it started
    /// from, the bottom (the deepest torso), the posture it ended in, and the extremes of the metrics.
    /// </summary>
    internal sealed class RepTruth
    {
        public bool Started;
        public double StartTorso, StartSacrum, StartHeightM;
        public double Depth = double.MinValue, BottomSacrum, BottomHeightM;
        public double EndTorso;
        public double MaxTrunk = double.MinValue, MaxHead = double.MinValue, MinHead = double.MaxValue;

        public void Add(TruthAngles a, double sacrumHeightM)
        {
            if (!Started)
            {
                Started = true;
                StartTorso = a.Torso;
                StartSacrum = a.Hinge;
                StartHeightM = sacrumHeightM;
            }
            if (a.Torso > Depth)
            {
                Depth = a.Torso;
                BottomSacrum = a.Hinge;
                BottomHeightM = sacrumHeightM;
            }
            EndTorso = a.Torso;
            MaxTrunk = Math.Max(MaxTrunk, a.TrunkFlexion);
            MaxHead = Math.Max(MaxHead, a.HeadFlexion);
            MinHead = Math.Min(MinHead, a.HeadFlexion);
        }

        /// <summary>The pelvis's part of the torso's inclination at the bottom, 0–1 (0 when the torso hardly moved).</summary>
        public double PelvisShare
        {
            get
            {
                double torso = Depth - StartTorso;
                return torso < 1 ? 0 : Math.Clamp((BottomSacrum - StartSacrum) / torso, 0, 1);
            }
        }

        public double SacrumDropCm => (StartHeightM - BottomHeightM) * 100;
    }
}
