using System.Collections.Generic;

namespace HingeSensor.Simulation.Motion
{
    /// <summary>
    /// One coordinate's trajectory: a constant plus a sum of components. Evaluated at increasing
    /// times, finished components are folded into the offset so that an hour of motion costs no
    /// more per sample than a minute.
    /// </summary>
    public sealed class Channel
    {
        private readonly List<MotionComponent> _pending = new();
        private readonly List<MotionComponent> _active = new();
        private bool _sorted;
        private int _next;
        private double _offset;
        private double _lastT = double.NegativeInfinity;

        private readonly double _constant;

        public Channel(double constant = 0) { _offset = constant; _constant = constant; }

        /// <summary>
        /// A fresh channel with the same constant and components plus <paramref name="extra"/>, to be
        /// evaluated from any time on (this one may already have been evaluated forward): how a
        /// trial motion is measured before it is committed.
        /// </summary>
        public Channel CopyWith(IEnumerable<MotionComponent> extra)
        {
            var c = new Channel(_constant);
            c._pending.AddRange(_pending);
            c._pending.AddRange(extra);
            return c;
        }

        public void Add(MotionComponent c)
        {
            _pending.Add(c);
            _sorted = false;
        }

        public int Count => _pending.Count;

        /// <summary>Value and derivatives at t; t must not decrease between calls.</summary>
        public Kin At(double t)
        {
            if (!_sorted)
            {
                _pending.Sort((a, b) => a.Start.CompareTo(b.Start));
                _sorted = true;
            }
            if (t < _lastT) throw new System.InvalidOperationException("Channel is evaluated forward in time only");
            _lastT = t;
            while (_next < _pending.Count && _pending[_next].Start <= t) _active.Add(_pending[_next++]);
            var sum = new Kin(_offset, 0, 0);
            for (int i = _active.Count - 1; i >= 0; i--)
            {
                MotionComponent c = _active[i];
                if (t >= c.End)
                {
                    _offset += c.Final;
                    sum += new Kin(c.Final, 0, 0);
                    _active.RemoveAt(i);
                    continue;
                }
                sum += c.At(t);
            }
            return sum;
        }
    }
}
