using System;
using System.Collections.Generic;
using HingeSensor.Simulation.Body;
using HingeSensor.Simulation.Motion;

namespace HingeSensor.Simulation.Choreography
{
    /// <summary>Everyday chair movements the device must stay silent through: sitting down and standing up, reaching forward from the seat.</summary>
    public sealed partial class Choreographer
    {
        /// <summary>
        /// Seated on a chair from t0 to t0 + down + seated + up: knees to 90°, the shank a little
        /// forward, the thigh back to horizontal (so the sacrum drops by most of a thigh length) and
        /// the pelvis rolled back by <paramref name="pelvisDeg"/>; the trunk leans forward by
        /// <paramref name="leanDeg"/> through the middle of each transition (to bring the weight over the feet).
        /// </summary>
        private void SeatedPose(double t0, double down, double seated, double up, double pelvisDeg, double leanDeg)
        {
            void Hold(Dof d, double amplitudeDeg) => Add(d, new Bump(t0, down, seated, up, amplitudeDeg * Deg));
            double ankle = U(6, 10), knee = 90;
            double thigh = ankle - knee;
            Hold(Dof.AnkleFlex, ankle);
            Hold(Dof.KneeFlex, knee);
            Hold(Dof.HipFlex, pelvisDeg - thigh);
            Add(Dof.HipFlex, new Bump(t0 + 0.2 * down, 0.4 * down, 0, 0.4 * down, leanDeg * Deg));
            Add(Dof.HipFlex, new Bump(t0 + down + seated + 0.2 * up, 0.4 * up, 0, 0.4 * up, leanDeg * Deg));
            // A little spine flexion goes with the lean, as the chest comes forward over the knees.
            double spine = U(3, 6);
            foreach (double at in new[] { t0 + 0.2 * down, t0 + down + seated + 0.2 * up })
            {
                double d = at < t0 + down ? down : up;
                Add(Dof.L5Flex, new Bump(at, 0.4 * d, 0, 0.4 * d, 0.6 * spine * Deg));
                Add(Dof.T12Flex, new Bump(at, 0.4 * d, 0, 0.4 * d, 0.4 * spine * Deg));
            }
        }

        /// <summary>
        /// Sit down on a chair and stand up again, <paramref name="reps"/> times. At seat-off the
        /// torso leans 28–40° forward, mostly from the hips: the hinge gate's torso angle is
        /// crossed, yet this is not a hinge.
        /// </summary>
        private void SitToStand(int reps)
        {
            double first = _t;
            for (int i = 0; i < reps; i++)
            {
                double t0 = _t;
                double down = U(1.6, 2.4) * _person.Tempo, seated = U(1.5, 4), up = U(1.4, 2.2) * _person.Tempo;
                SeatedPose(t0, down, seated, up, -U(8, 15), U(28, 40));
                Add(Dof.C0Twist, new Oscillation(t0 + down, t0 + down + seated, 8 * Deg, U(0.1, 0.2), U(0, 6), 0.5));
                Span(TrueActivity.SitToStand, t0, t0 + down);
                Span(TrueActivity.Sitting, t0 + down, t0 + down + seated);
                Span(TrueActivity.SitToStand, t0 + down + seated, t0 + down + seated + up);
                _t = t0 + down + seated + up;
                StandQuietly(_t, _t + U(1.5, 3));
            }
            _plan.Add(new PlannedActivity(ActivityKind.SitToStand, first, _t));
        }

        /// <summary>
        /// Sit down, then reach forward from the chair <paramref name="count"/> times (to a desk's far
        /// side, a bag on the floor ahead): the torso comes 33–45° forward of standing for 2–4 s, from
        /// the hips with some spine flexion, and back; then stand up. Seated the pelvis is rolled
        /// back 5–12°, so the hips flex past it to reach.
        /// </summary>
        private void SeatedReach(int count)
        {
            double t0 = _t;
            double down = 2.0 * _person.Tempo, up = 2.0 * _person.Tempo;
            double pelvis = -U(5, 12);
            var reaches = new List<(double Start, double Go, double Hold, double Back, double Torso)>();
            double t = t0 + down + U(1, 2);
            for (int i = 0; i < count; i++)
            {
                double go = U(0.8, 1.3), hold = U(2, 4), back = U(0.8, 1.3);
                reaches.Add((t, go, hold, back, U(33, 45)));
                t += go + hold + back + U(1, 2.5);
            }
            double seated = t - (t0 + down);
            SeatedPose(t0, down, seated, up, pelvis, U(15, 25));
            foreach (var (start, go, hold, back, torso) in reaches)
            {
                // Torso = pelvis (seated) + hip flexion of the reach + spine flexion: the target exactly, in the sagittal plane.
                double spine = U(6, 12);
                Add(Dof.HipFlex, new Bump(start, go, hold, back, (torso - pelvis - spine) * Deg));
                Add(Dof.L5Flex, new Bump(start, go, hold, back, 0.4 * spine * Deg));
                Add(Dof.T12Flex, new Bump(start, go, hold, back, 0.35 * spine * Deg));
                Add(Dof.T7Flex, new Bump(start, go, hold, back, 0.25 * spine * Deg));
                Add(Dof.C0Flex, new Bump(start, go, hold, back, U(-6, 6) * Deg)); // eyes on what is reached for
            }
            Span(TrueActivity.SitToStand, t0, t0 + down);
            Span(TrueActivity.Sitting, t0 + down, t0 + down + seated);
            Span(TrueActivity.SitToStand, t0 + down + seated, t0 + down + seated + up);
            _t = t0 + down + seated + up;
            StandQuietly(_t, _t + 1.0);
            _plan.Add(new PlannedActivity(ActivityKind.SeatedReach, t0, _t));
        }

        /// <summary>
        /// Tie a shoe, <paramref name="count"/> times: crouch (knees 95–115°, shank 20–30° forward),
        /// torso 55–70° forward with a rounded back, the head bent over the laces, held for
        /// <paramref name="holdS"/> (4–8 s when not given), and back up. Neither a hinge nor a squat.
        /// </summary>
        private void TieShoe(int count, double? holdS)
        {
            double first = _t;
            for (int i = 0; i < count; i++)
            {
                double t0 = _t, down = U(1.2, 1.8) * _person.Tempo, hold = holdS ?? U(4, 8), up = U(1.2, 1.8) * _person.Tempo;
                Hinge(t0, down, hold, up, U(55, 70), U(0.55, 0.65), U(95, 115), U(20, 30));
                Add(Dof.C7Flex, new Bump(t0, down, hold, up, U(5, 10) * Deg));
                Add(Dof.C0Flex, new Bump(t0, down, hold, up, U(15, 25) * Deg));
                Add(Dof.L5Lat, new Bump(t0, down, hold, up, U(-6, 6) * Deg));
                Span(TrueActivity.BendingOther, t0, t0 + down + hold + up);
                _t = t0 + down + hold + up;
                StandQuietly(_t, _t + U(1.5, 3));
            }
            _plan.Add(new PlannedActivity(ActivityKind.TieShoe, first, _t));
        }
    }
}
