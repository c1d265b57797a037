using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Simulation.Body;
using HingeSensor.Simulation.Geometry;
using HingeSensor.Simulation.Motion;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.Simulation.Choreography
{
    /// <summary>
    /// The true angles a motion produces, from the kinematics alone (no sensors): copies of the
    /// joint trajectories with a trial motion added, evaluated through the same skeleton and the
    /// same angle definitions as the labels. Lets the choreographer measure before it commits.
    /// </summary>
    internal sealed class TruthProbe
    {
        /// <summary>Fine enough that the label's samples (every 10 ms at 100 Hz) see the same peak within hundredths of a degree.</summary>
        public const double StepS = 0.002;

        private readonly Anthropometry _body;
        private readonly Mat3[] _neutral;

        public TruthProbe(Person person)
        {
            _body = new Anthropometry(person.HeightCm / 100);
            _neutral = WearerPhysics.NeutralOrientations(person, _body);
        }

        /// <summary>The true angles over [t0, t1] of <paramref name="channels"/> plus <paramref name="trial"/>.</summary>
        public IEnumerable<TruthAngles> Over(Channel[] channels, IEnumerable<(Dof Dof, MotionComponent C)> trial, double t0, double t1)
        {
            var extra = trial.ToLookup(p => p.Dof, p => p.C);
            var copies = channels.Select((c, i) => c.CopyWith(extra[(Dof)i])).ToArray();
            var skeleton = new Skeleton(_body);
            var q = new Kin[Dofs.Count];
            int n = (int)Math.Ceiling((t1 - t0) / StepS);
            for (int k = 0; k <= n; k++)
            {
                double t = Math.Min(t1, t0 + k * StepS);
                for (int i = 0; i < q.Length; i++) q[i] = copies[i].At(t);
                skeleton.Evaluate(q);
                yield return TruthAngles.From(skeleton, _neutral[(int)BodySegment.Head], _neutral[(int)BodySegment.UpperThorax], _neutral[(int)BodySegment.Pelvis]);
            }
        }
    }
}
