using System;
using System.Collections.Generic;
using HingeSensor.Algorithms.Activity;

namespace HingeSensor.Host.Analysis
{
    /// <summary>
    /// The tracker's activity, sample by sample, folded into spans of one kind. Unknown (before
    /// calibration, a sensor missing) leaves a gap rather than a span: it is no activity.
    /// </summary>
    public sealed class ActivitySpans
    {
        private readonly List<ActivitySpan> _spans = new();
        private ActivityKind _kind = ActivityKind.Unknown;
        private double _startS;

        public void Add(ActivityKind kind, double timeS)
        {
            if (kind == _kind) return;
            Close(timeS);
            _kind = kind;
            _startS = timeS;
        }

        /// <summary>The spans, the last one closed at <paramref name="endS"/>.</summary>
        public List<ActivitySpan> Finish(double endS)
        {
            Close(endS);
            _kind = ActivityKind.Unknown;
            return _spans;
        }

        private void Close(double endS)
        {
            if (_kind != ActivityKind.Unknown) _spans.Add(new ActivitySpan(Activities.Name(_kind), Math.Round(_startS, 4), Math.Round(endS, 4)));
        }
    }
}
