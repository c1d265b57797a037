using System.Collections.Generic;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Analysis
{
    /// <summary>
    /// Keeps the analysed segment angles at the rate the device records them (25 Hz by default),
    /// so a session saved by `hinge analyze --save` holds the same kind of frames as a downloaded one.
    /// </summary>
    public sealed class FrameDecimator
    {
        private readonly double _periodS;
        private double _next = double.NegativeInfinity;

        public FrameDecimator(double rateHz) => _periodS = 1.0 / rateHz;

        public double RateHz => 1.0 / _periodS;

        public List<StoredFrame> Frames { get; } = new();

        public void Add(double timeS, PostureTracker tracker)
        {
            if (timeS + 1e-9 < _next) return;
            _next = double.IsNegativeInfinity(_next) ? timeS + _periodS : _next + _periodS;
            PostureMetrics m = tracker.Metrics;
            Frames.Add(new StoredFrame(timeS,
                m.IsValid(0) ? m.HeadSagittalDeg : float.NaN, m.IsValid(0) ? m.HeadLateralDeg : float.NaN,
                m.IsValid(1) ? m.UpperBackSagittalDeg : float.NaN, m.IsValid(1) ? m.UpperBackLateralDeg : float.NaN,
                m.IsValid(2) ? m.SacrumSagittalDeg : float.NaN, m.IsValid(2) ? m.SacrumLateralDeg : float.NaN,
                m.ValidSegments));
        }
    }
}
