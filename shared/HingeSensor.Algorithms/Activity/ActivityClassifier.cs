namespace HingeSensor.Algorithms.Activity
{
    /// <summary>
    /// What the wearer is doing, from the pelvis (sacrum) and torso (upper back) inclinations and
    /// the sacrum's height (<see cref="SacrumHeight"/>). Run at the correction rate (25 Hz): the
    /// context changes over seconds, and the hinge gate's own torso test stays at the full rate.
    /// <list type="bullet">
    /// <item>Seated: the pelvis rolled back with the torso upright for a second. Being seated is
    /// a context, not only a kind: it lasts through a forward reach (BendingOther, seated) until
    /// the sacrum rises (SitToStand) and the wearer stands tall, or stands tall with the pelvis
    /// at neutral for a while, or walks. The sacrum's height alone never seats anyone: between
    /// still moments its double integral drifts by tens of centimetres in the simulated lifters'
    /// sets, and a false seat would silence the gate through real hinges.</item>
    /// <item>Bending while standing: a squat when the sacrum has dropped far, a stoop
    /// (BendingOther) when the pelvis carries little of the torso's inclination, else a hinge.</item>
    /// <item>Crouched (tying a shoe): judged once per bend, early — when the torso first passes
    /// <see cref="ActivitySettings.CrouchTorsoDeg"/>, before a shoe tie's head and back cross their
    /// thresholds. The sacrum has dropped since the torso left standing (the knees bend deep), the
    /// pelvis carries less of the torso than a squat's does (the back rounds over the knees), and
    /// the head is already bowed over the feet: a deep squat whose lower back rounds has the first
    /// two as well, and only the head tells it from a tie (without a head sensor, no crouch: a tie
    /// that buzzes is better than a rounded squat that does not).
    /// The drop is the bend's own: integrated from the last upright moment, it cannot inherit the
    /// height's drift from earlier movements. A crouch is BendingOther and shuts the hinge gate
    /// until the wearer is upright again.</item>
    /// <item>Upright: walking when the sacrum's vertical acceleration swings regularly at step
    /// rate, else standing.</item>
    /// </list>
    /// </summary>
    public sealed class ActivityClassifier
    {
        private readonly ActivitySettings _settings;
        private readonly SacrumHeight _height;
        private ActivityKind _kind;
        private bool _seated;
        private bool _rising;
        private float _seatHeight;
        private float _sitSinceS;
        private float _tallSinceS;
        private float _lastT;
        private bool _started;
        // The bend under way: the sacrum's velocity and drop since the torso left standing (m/s,
        // m, up +), when it left and the pelvis and torso then, whether it was judged and what it is.
        private float _bendV;
        private float _bendH;
        private float _bendStartS;
        private float _bendPelvis;
        private float _bendTorso;
        private bool _bendJudged;
        private bool _crouched;
        // Steps: upward swings of the vertical acceleration past +StepAccel, each re-armed by a
        // swing below −StepAccel.
        private bool _stepArmed;
        private float _lastStepS;
        private int _steps;

        public ActivityClassifier(ActivitySettings settings)
        {
            _settings = settings;
            _height = new SacrumHeight(settings);
            Reset();
        }

        public ActivitySettings Settings { get { return _settings; } }

        /// <summary>The current activity.</summary>
        public ActivityKind Kind { get { return _kind; } }

        /// <summary>
        /// Seated (sitting, reaching from the chair, standing up): posture alerts stay silent even
        /// when the torso leans as far as a hinge's.
        /// </summary>
        public bool Seated { get { return _seated; } }

        /// <summary>
        /// The bend under way is a crouch (tying a shoe): posture alerts stay silent and it is no
        /// rep, until the wearer is upright again.
        /// </summary>
        public bool Crouched { get { return _crouched; } }

        /// <summary>The sacrum's height estimate.</summary>
        public SacrumHeight Height { get { return _height; } }

        /// <summary>How far the sacrum is below standing now, cm (negative: above).</summary>
        public float SacrumDropCm { get { return -100f * _height.HeightM; } }

        public void Reset()
        {
            _height.Reset();
            _kind = ActivityKind.Unknown;
            _seated = false;
            _rising = false;
            _sitSinceS = -1f;
            _tallSinceS = -1f;
            _started = false;
            _bendJudged = false;
            _crouched = false;
            _stepArmed = true;
            _steps = 0;
            _lastStepS = 0f;
        }

        /// <summary>
        /// One step at time <paramref name="t"/>, s: the pelvis and torso inclinations and the head's
        /// flexion on the upper back, degrees, the sacrum's vertical specific force, m/s², and the
        /// validity mask of the metrics (bit 0 head, bit 1 upper back, bit 2 sacrum). Returns the kind.
        /// </summary>
        public ActivityKind Update(float t, float pelvisDeg, float torsoDeg, float headFlexionDeg, float verticalForce, int valid)
        {
            if ((valid & 6) != 6)
            {
                // No pelvis or no torso: nothing to decide on. The seated context is kept (a
                // sensor drop-out does not stand anyone up), the integration starts afresh.
                _kind = ActivityKind.Unknown;
                _started = false;
                return _kind;
            }
            float dt = t - _lastT;
            _lastT = t;
            if (!_started)
            {
                _started = true;
                _height.Reset();
                _height.Update(verticalForce, pelvisDeg, torsoDeg, t, 0f);
                // A bend already under way is not judged on an integral that missed its start;
                // a crouch the drop-out interrupted stays one.
                _bendV = 0f;
                _bendH = 0f;
                _bendStartS = t;
                _bendJudged = true;
                return _kind;
            }
            ActivitySettings s = _settings;
            SacrumHeight h = _height;
            h.Update(verticalForce, pelvisDeg, torsoDeg, t, dt);
            bool walking = Step(h.AccelMps2, t);
            bool upright = torsoDeg <= s.StandTorsoDeg;
            if (upright)
            {
                _bendV = 0f;
                _bendH = 0f;
                _bendStartS = t;
                _bendPelvis = pelvisDeg;
                _bendTorso = torsoDeg;
                _bendJudged = false;
                _crouched = false;
            }
            else
            {
                float bv = _bendV + h.AccelMps2 * dt;
                _bendV = bv;
                _bendH += bv * dt;
                if (!_bendJudged && torsoDeg >= s.CrouchTorsoDeg)
                {
                    _bendJudged = true;
                    // Knees bending deep while the back rounds over them: a crouch to the floor, not a lift.
                    // The pelvis's share of what the bend added: a pelvis tipped a little at standing does not count.
                    _crouched = t - _bendStartS <= s.CrouchWithinS && _bendH <= -s.CrouchDropM
                        && pelvisDeg - _bendPelvis < s.CrouchShare * (torsoDeg - _bendTorso)
                        && (valid & 1) != 0 && headFlexionDeg >= s.CrouchHeadDeg;
                }
            }
            float z = h.HeightM;

            if (walking && upright)
            {
                // Nobody walks seated; and walking is at standing height.
                _seated = false;
                _rising = false;
                _sitSinceS = -1f;
                h.Anchor(t);
                _kind = ActivityKind.Walking;
                return _kind;
            }

            bool tall = upright && pelvisDeg < s.StandPelvisDeg && pelvisDeg > -s.StandPelvisDeg;
            if (_seated)
            {
                // Upright with the pelvis back at neutral for a while: standing, whether or not the
                // rise was seen (a missed rise must not keep the gate shut for the rest of the day).
                if (!tall) _tallSinceS = -1f;
                else if (_tallSinceS < 0f) _tallSinceS = t;
                if (!_rising)
                {
                    if (z - _seatHeight >= s.RiseM) _rising = true;
                    else if (h.Still) _seatHeight = z;
                }
                else if (upright && pelvisDeg > -s.SitPelvisBackDeg && z - _seatHeight >= s.RiseM)
                {
                    _seated = false;
                }
                else if (h.Still && z - _seatHeight < 0.5f * s.RiseM)
                {
                    _rising = false; // settled back on the seat
                }
                if (_tallSinceS >= 0f && t - _tallSinceS >= s.StandHoldS) _seated = false;
                if (!_seated)
                {
                    // Up and standing tall: the standing height again.
                    _rising = false;
                    _sitSinceS = -1f;
                    h.Anchor(t);
                }
                else
                {
                    _kind = _rising ? ActivityKind.SitToStand : torsoDeg >= s.BendTorsoDeg ? ActivityKind.BendingOther : ActivityKind.Sitting;
                    return _kind;
                }
            }
            else if (torsoDeg < s.SitTorsoMaxDeg && pelvisDeg <= -s.SitPelvisBackDeg)
            {
                if (_sitSinceS < 0f) _sitSinceS = t;
                if (t - _sitSinceS >= s.SitHoldS)
                {
                    _seated = true;
                    _rising = false;
                    _tallSinceS = -1f;
                    _seatHeight = z;
                    _kind = ActivityKind.Sitting;
                    return _kind;
                }
            }
            else
            {
                _sitSinceS = -1f;
            }

            if (torsoDeg >= s.BendTorsoDeg)
            {
                if (_crouched) _kind = ActivityKind.BendingOther;
                else if (z <= -s.SquatDropM && pelvisDeg <= s.SquatPelvisMaxDeg) _kind = ActivityKind.Squat;
                else if (pelvisDeg < s.StoopShare * torsoDeg) _kind = ActivityKind.BendingOther;
                else _kind = ActivityKind.Hinge;
                return _kind;
            }
            // Standing tall and still (not seated): the height's zero again, so the integration's
            // error lives only from one rest to the next. Still, not merely tall: a squat's sacrum
            // is already dropping while the torso is still upright.
            if (tall && h.Still) h.Anchor(t);
            _kind = walking ? ActivityKind.Walking : ActivityKind.Standing;
            return _kind;
        }

        // Regular upward swings of the vertical acceleration at step rate: walking.
        private bool Step(float a, float t)
        {
            ActivitySettings s = _settings;
            if (a < -s.StepAccel) _stepArmed = true;
            else if (_stepArmed && a > s.StepAccel)
            {
                _stepArmed = false;
                float gap = t - _lastStepS;
                // A real pelvis swings twice or more within one step (heel strike, push-off): a
                // swing sooner than a step can follow is part of the step already counted, and
                // must not start the count afresh (seen on a hip-belt recording: walking read as
                // standing for 90 % of the time).
                if (gap < s.StepMinS) return _steps >= s.WalkSteps;
                _steps = gap <= s.StepMaxS ? _steps + 1 : 1;
                _lastStepS = t;
            }
            return _steps >= s.WalkSteps && t - _lastStepS <= s.StepMaxS;
        }
    }
}
