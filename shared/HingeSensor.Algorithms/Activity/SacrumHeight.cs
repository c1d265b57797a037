namespace HingeSensor.Algorithms.Activity
{
    /// <summary>
    /// How far the sacrum is above (+) or below (−) where it stands, from its vertical
    /// acceleration (the fused orientation takes gravity out) integrated twice. A double integral
    /// of a MEMS accelerometer drifts within seconds, so the integration lives only between still
    /// moments: at each the velocity is known to be zero (its drift is taken out of the height as
    /// a straight ramp) and gravity as this sensor measures it in this posture is taken afresh,
    /// which absorbs the bias the posture projects on the vertical. Between still moments the
    /// velocity leaks away (<see cref="Raw"/> keeps an un-leaked copy). Fed at the correction rate (25 Hz): a sit-down or a rep lasts 1–3 s.
    /// </summary>
    public sealed class SacrumHeight
    {
        private readonly ActivitySettings _settings;
        private float _gravity;
        private bool _hasGravity;
        private float _velocity;
        private float _height;
        private float _accel;
        private float _quietSinceS;
        private float _lastStillS;
        private bool _still;
        private float _lastPelvis;
        private float _lastTorso;
        private readonly SacrumIntegral _raw = new SacrumIntegral();

        public SacrumHeight(ActivitySettings settings)
        {
            _settings = settings;
            Reset();
        }

        /// <summary>Metres over the standing height (negative: below).</summary>
        public float HeightM { get { return _height; } }

        /// <summary>Vertical velocity, m/s (up +).</summary>
        public float VelocityMps { get { return _velocity; } }

        /// <summary>The last vertical acceleration, gravity removed, m/s².</summary>
        public float AccelMps2 { get { return _accel; } }

        /// <summary>The acceleration summed twice without leak or reset, for a rep's drop.</summary>
        public SacrumIntegral Raw { get { return _raw; } }

        /// <summary>Whether the sacrum is at a still moment.</summary>
        public bool Still { get { return _still; } }

        public void Reset()
        {
            _gravity = 9.81f;
            _hasGravity = false;
            _velocity = 0f;
            _height = 0f;
            _accel = 0f;
            _quietSinceS = -1f;
            _lastStillS = 0f;
            _still = false;
            _raw.V = float.NaN; // a gap in the sums: unknown until restarted
        }

        /// <summary>Standing tall (or walking): this is the height every other is measured from.</summary>
        public void Anchor(float t)
        {
            _height = 0f;
            _velocity = 0f;
            _lastStillS = t;
        }

        /// <summary>
        /// One step: <paramref name="verticalForce"/> is the sacrum's vertical specific force,
        /// m/s²; pelvis and torso inclinations, degrees, tell a still body from a slow turn.
        /// </summary>
        public void Update(float verticalForce, float pelvisDeg, float torsoDeg, float t, float dt)
        {
            ActivitySettings s = _settings;
            if (!_hasGravity)
            {
                _gravity = verticalForce;
                _hasGravity = true;
                _lastPelvis = pelvisDeg;
                _lastTorso = torsoDeg;
                _lastStillS = t;
                return;
            }
            float a = verticalForce - _gravity;
            _accel = a;
            SacrumIntegral raw = _raw;
            float rv = raw.V + a;
            raw.V = rv;
            raw.H += rv;
            raw.N++;
            float turn = s.StillRateDps * dt;
            float dp = pelvisDeg - _lastPelvis, du = torsoDeg - _lastTorso;
            _lastPelvis = pelvisDeg;
            _lastTorso = torsoDeg;
            bool quiet = a < s.StillAccel && a > -s.StillAccel && dp < turn && dp > -turn && du < turn && du > -turn;
            if (!quiet) _quietSinceS = -1f;
            else if (_quietSinceS < 0f) _quietSinceS = t;
            bool still = quiet && t - _quietSinceS >= s.StillS;
            if (still)
            {
                // Arriving at rest: what velocity is left is drift, grown (about) linearly since
                // the last rest, so it put half of velocity × time into the height.
                // The leak bounds how long the drift can have grown.
                if (!_still)
                {
                    float since = t - _lastStillS;
                    if (since > s.VelocityLeakS) since = s.VelocityLeakS;
                    _height -= 0.5f * _velocity * since;
                }
                _velocity = 0f;
                _gravity += 0.25f * (verticalForce - _gravity);
                _lastStillS = t;
            }
            else
            {
                float v = _velocity + a * dt;
                v -= v * dt / s.VelocityLeakS;
                _velocity = v;
                _height += v * dt;
            }
            _still = still;
        }
    }
}
