namespace HingeSensor.Algorithms.Reps
{
    /// <summary>Thresholds of <see cref="RepDetector"/>, on the torso angle (upper-back inclination, degrees over neutral).</summary>
    public sealed class RepSettings
    {
        /// <summary>
        /// At or below this the wearer is standing. Default 12°: walking and weight shifts sway the
        /// upper back by ~5°, so they never leave standing.
        /// </summary>
        public float StandingDeg = 12f;

        /// <summary>A rep begins when the torso passes this angle. Default 20°.</summary>
        public float StartDeg = 20f;

        /// <summary>
        /// A rep counts only if it reaches this depth. Default 45°, half of the coached horizontal
        /// torso: below it the movement is a partial rep (reported, not counted) or a sit-to-stand.
        /// </summary>
        public float MinDepthDeg = 45f;

        /// <summary>Within this many degrees of the deepest angle the wearer is at the bottom. Default 5°.</summary>
        public float BottomBandDeg = 5f;

        /// <summary>
        /// Shorter than this it is noise, not a rep, s. Default 0.35 s: a kettlebell swing leaves the
        /// standing band and is back in 0.55–0.7 s (the torso turns at up to ~300 °/s), and 0.6 s
        /// lost every third swing of the simulated sets; a torso hovering about the start angle
        /// crosses it for well under 0.3 s.
        /// </summary>
        public float MinDurationS = 0.35f;

        /// <summary>Longer than this it is a sustained bend (gardening, tying shoes), not a rep, s. Default 20 s.</summary>
        public float MaxDurationS = 20f;
    }
}
