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

        public Channel(double constant = 0) { _offset = constant; }

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
