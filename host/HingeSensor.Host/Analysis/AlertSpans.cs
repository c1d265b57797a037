using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Algorithms.Alignment;

namespace HingeSensor.Host.Analysis
{
    /// <summary>
    /// Alert spans from the alignment monitor's events, the one place they are paired up: Started
    /// opens a fault's span, a Reminder is counted, Corrected or Ended closes it with the episode's
    /// peak; a span still open at the end closes there, not corrected. Fed live from the tracker
    /// (`hinge analyze`) or from the events a session recorded (a download), which carry no onset:
    /// there a span's onset is its start.
    /// </summary>
    public sealed class AlertSpans
    {
        private readonly Dictionary<Fault, (double Onset, double Start, double Peak, int Reminders)> _open = new();
        private readonly List<AlertRecord> _closed = new();

        public void Add(AlignmentEventKind kind, Fault fault, double onsetS, double timeS, double peakDeg)
        {
            switch (kind)
            {
                case AlignmentEventKind.Started:
                    _open[fault] = (onsetS, timeS, peakDeg, 0);
                    break;
                case AlignmentEventKind.Reminder:
                    if (_open.TryGetValue(fault, out var r)) _open[fault] = r with { Reminders = r.Reminders + 1 };
                    break;
                case AlignmentEventKind.Corrected:
                case AlignmentEventKind.Ended:
                    if (_open.Remove(fault, out var o)) _closed.Add(Span(fault, o, timeS, Math.Max(o.Peak, peakDeg), kind == AlignmentEventKind.Corrected));
                    break;
            }
        }

        /// <summary>Every span by start time, those still open closed at <paramref name="endS"/>.</summary>
        public List<AlertRecord> Finish(double endS)
        {
            foreach (var (fault, o) in _open) _closed.Add(Span(fault, o, endS, o.Peak, false));
            _open.Clear();
            return _closed.OrderBy(a => a.StartS).ToList();
        }

        private static AlertRecord Span(Fault fault, (double Onset, double Start, double Peak, int Reminders) o, double endS, double peakDeg, bool corrected) =>
            new(Faults.Name(fault), o.Onset, o.Start, endS, Math.Round(peakDeg, 2), corrected, o.Reminders);
    }
}
