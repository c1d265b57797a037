namespace HingeSensor.Algorithms.Activity
{
    /// <summary>
    /// Thresholds of <see cref="ActivityClassifier"/> and <see cref="SacrumHeight"/>. Angles are
    /// sagittal inclinations over the calibrated neutral (pelvis = sacrum sensor, torso = upper
    /// back), heights of the sacrum in metres over standing. Reasons: shared/docs/biomechanics.md
    /// and the comments here.
    /// </summary>
    public sealed class ActivitySettings
    {
        /// <summary>
        /// The torso counts as bending from this inclination, degrees. Default 20°: the rep
        /// detector's start and the hinge gate's close, so one bend is one bend everywhere.
        /// </summary>
        public float BendTorsoDeg = 20f;

        /// <summary>
        /// Standing tall: torso at or below this, degrees. Default 12°: the rep detector's standing
        /// band (walking and weight shifts sway the upper back by ~5°).
        /// </summary>
        public float StandTorsoDeg = 12f;

        /// <summary>
        /// Standing: the pelvis within this of neutral, degrees. Default 8°: weight shifts move it
        /// 1–3°, a seated pelvis rolls back ~15° (more slumped).
        /// </summary>
        public float StandPelvisDeg = 8f;

        /// <summary>
        /// Seated: the pelvis rolled back (posterior tilt) at least this far, degrees, with the torso
        /// upright. Default 10°: sitting rolls the pelvis back 15–25° (more when slumped), standing
        /// never does by more than a few degrees.
        /// </summary>
        public float SitPelvisBackDeg = 10f;

        /// <summary>Seated: the torso below this inclination, degrees. Default 25°: upright or leaning back in a chair; a squat's torso leans 30–50°.</summary>
        public float SitTorsoMaxDeg = 25f;

        /// <summary>The seated evidence must hold this long, s. Default 1 s: longer than a squat's turnaround, shorter than any real sitting.</summary>
        public float SitHoldS = 1f;

        /// <summary>
        /// A seated wearer who stays upright with the pelvis within <see cref="StandPelvisDeg"/> of
        /// neutral this long is standing, s, even if the rise was not seen. Default 1.5 s: sitting
        /// rolls the pelvis back 15–25° and keeps it there.
        /// </summary>
        public float StandHoldS = 1.5f;

        /// <summary>
        /// A seated wearer is standing up once the sacrum has risen this far above the seat, m.
        /// Default 0.15 m: a third of a chair's drop, far above what a seated lean moves it.
        /// </summary>
        public float RiseM = 0.15f;

        /// <summary>
        /// A squat: the sacrum this far below standing while the torso is bent, m. Default 0.20 m:
        /// a hinge's small knee bend (10–25°) drops the sacrum well under 10 cm, a squat to parallel
        /// 30–50 cm; the middle leaves margin for the integration's error.
        /// </summary>
        public float SquatDropM = 0.20f;

        /// <summary>
        /// A squat keeps the pelvis at or under this inclination, degrees. Default 45°: a squat to
        /// parallel tilts it 20–40° (0.7 of a torso at 30–56°), one whose lower back rounds less; a
        /// hinge, a deadlift or a kettlebell swing 50–80°. The sacrum's integrated drop alone read
        /// 20 cm+ on some simulated hinges; the pelvis's inclination cannot drift. (It was the
        /// torso's, under 60°: a squat whose back rounds leans the torso past that and read as a
        /// hinge or a stoop — 75 of 158 in a stress set; and a swing's torso under 60° read as a
        /// squat when its live drop did: coaching suite "hips back" precision 89 % → 100 %, with
        /// 60° on the pelvis 64 %, with 40° a squat in 60 read as a hinge.)
        /// </summary>
        public float SquatPelvisMaxDeg = 45f;

        /// <summary>
        /// A stoop: the pelvis carries less than this share of the torso's inclination. Default 0.5:
        /// a hinge tilts the pelvis for ~85–95 % of the torso angle, a rounded pick-up gets most of it
        /// from the spine (lumbar range 36 ± 10° in a stoop lift, von Arx 2021). The live context's
        /// rule, on the share of the moment; a rep is judged by how it started (<see cref="StoopLeadShare"/>).
        /// </summary>
        public float StoopShare = 0.5f;

        /// <summary>
        /// A rep is a stoop when the pelvis carried less than this share of the torso's inclination
        /// as its descent got under way (<see cref="LeadDeg"/>). Default 0.66: the coached hinge
        /// carries ~0.9 on the pelvis (the spine stays neutral), a stoop ~0.55 (36° of lumbar flexion
        /// in an 80–90° bend, von Arx 2021). Simulated (nine wearers): stoops 0.55–0.61, hinges
        /// 0.72–1.0 — the lowest, hinges whose back began to round a quarter into the descent.
        /// </summary>
        public float StoopLeadShare = 0.66f;

        /// <summary>
        /// A rep's pattern is judged by how its descent started, when the torso first passes this
        /// inclination, degrees. Default 20°: the coached hinge starts at the hips (the pelvis
        /// carries ~90 % of the bend from the first degrees), a stoop starts with the spine (in
        /// untrained forward bending the lumbar spine leads the pelvis, Esola 1996). At the bottom
        /// the two cannot be told apart: a hinge whose back rounds on the way down carries 57–69 %
        /// on the pelvis there, a stoop 50–62 % (simulated; 46–60 % on the real straight-legged bends
        /// of docs/public-recordings.md). At 30° a hinge that rounded from a quarter into the descent
        /// already looked like a stoop (0.59); much below 20° the share's error (≈ 1° of pelvis
        /// over the torso's angle) grows beside the gap.
        /// </summary>
        public float LeadDeg = 20f;

        /// <summary>
        /// A bend is judged a crouch or not once, when the torso first passes this inclination,
        /// degrees (<see cref="ActivityClassifier.Crouched"/>). Default 35°: past the hinge gate's
        /// 30°, and in every simulated shoe tie 0.08 s or more before its first alert would have
        /// come (median 0.17 s; 402 ties by nine wearers). The figures below are all at this moment.
        /// </summary>
        public float CrouchTorsoDeg = 35f;

        /// <summary>
        /// A crouch: the sacrum has dropped at least this far since the torso left standing, m.
        /// Default 0.04 m: a shoe tie (knees to 95–115°) has taken it 5.6–16 cm down; a hinge, a
        /// deadlift or a stoop whose back rounds as much (the share below), at most 3.1 cm.
        /// </summary>
        public float CrouchDropM = 0.04f;

        /// <summary>
        /// A crouch: the pelvis carries less than this share of what the bend added to the torso's
        /// inclination (the back rounds over the knees). Default 0.72: a shoe tie 0.54–0.67, a hinge,
        /// a deadlift or a swing about 0.9. It was 0.66, between the ties and the clean deep squats
        /// (0.66–0.81), and let the ties at the top of their range buzz (coaching suite 10 false
        /// alerts per hour); but a squat whose lower back rounds drops to a tie's share (−0.1–0.77)
        /// whatever the line, and only the bowed head (<see cref="CrouchHeadDeg"/>) tells a tie
        /// from it. With the head deciding, the line only keeps hinges out: at 0.72 the coaching
        /// suite's and two 8-wearer stress sets' ties were all silent, with every squat's rounding
        /// and chin drop still alerted (0.8 the same).
        /// </summary>
        public float CrouchShare = 0.72f;

        /// <summary>
        /// A crouch is judged only this soon after the torso left standing, s. Default 0.8 s: a
        /// shoe tie is there in 0.24–0.56 s (tempos 0.85–1.25); the bend's own double integral
        /// carries a bias as a·t²/2 (0.5 m/s², which a tilting pelvis can project, is 16 cm by
        /// 0.8 s), so a slower rounded bend is not judged on a drop that may be drift.
        /// </summary>
        public float CrouchWithinS = 0.8f;

        /// <summary>
        /// A crouch: the head is bowed at least this far on the upper back, degrees (head flexion)
        /// — a shoe tie looks down at the laces. Default 8°. Without it a deep squat whose lower
        /// back rounds (the pelvis stops tilting as the spine flexes) was a crouch too: in a stress
        /// set of 8 wearers, 68 of 83 rounded deep squats were silenced and not counted. At the
        /// judgement the ties' heads are bowed 11.6–21.9°, the rounded squats' −3.4–2.4°, clean
        /// squats' and hinges' under 4°.
        /// </summary>
        public float CrouchHeadDeg = 8f;

        /// <summary>
        /// Still: the sacrum's vertical acceleration within this, m/s². Default 0.2 m/s² (≈ 0.02 g):
        /// well above the accelerometer's noise in a 40 ms mean, below any deliberate movement.
        /// </summary>
        public float StillAccel = 0.2f;

        /// <summary>Still: pelvis and torso turning slower than this, degrees per second. Default 10 °/s.</summary>
        public float StillRateDps = 10f;

        /// <summary>Still for at least this long, s, before the velocity is zeroed. Default 0.3 s.</summary>
        public float StillS = 0.3f;

        /// <summary>
        /// The velocity leaks away with this time constant, s, so an accelerometer bias cannot run
        /// away between still moments. Default 3 s: a sit-down or a rep takes 1–2.5 s.
        /// </summary>
        public float VelocityLeakS = 3f;

        /// <summary>
        /// A rep's sacrum drop is physically at most this, m, and at least −<see cref="MaxSacrumRiseM"/>:
        /// a corrected drop outside is reported unknown (NaN), not clamped. Default 0.6 m: the sacrum
        /// stands at ≈ 0.5 of stature (≈ 0.85–0.95 m for 1.65–1.90 m) and a full squat's bottom leaves
        /// it ≈ 0.35–0.45 m off the floor, so ≈ 0.4–0.55 m is the most a tall wearer drops it.
        /// </summary>
        public float MaxSacrumDropM = 0.6f;

        /// <summary>A rep's sacrum rises at most this, m. Default 0.15 m: a stoop or hinge lifts the sacrum site a few cm.</summary>
        public float MaxSacrumRiseM = 0.15f;

        /// <summary>
        /// A rep's drop is unknown when the integration error its end showed needs a constant
        /// vertical acceleration bias larger than this, m/s² (a bias that large is no bias but a
        /// model that does not hold). Default 1.5 m/s².
        /// </summary>
        public float MaxRepBiasMps2 = 1.5f;

        /// <summary>A rep's drop is unknown when its integration ran longer than this, s. Default 10 s.</summary>
        public float MaxRepIntegrationS = 10f;

        /// <summary>
        /// A step: the sacrum's vertical acceleration swings past ± this, m/s². Default 0.8 m/s²:
        /// walking bounces the pelvis ~2 cm at 1.7–2 steps/s, 2–3 m/s² peak.
        /// </summary>
        public float StepAccel = 0.8f;

        /// <summary>Steps come this often, s apart: 0.3–1.0 s (1–3.3 steps/s covers strolling to jogging).</summary>
        public float StepMinS = 0.3f;

        /// <summary>See <see cref="StepMinS"/>. Default 1 s.</summary>
        public float StepMaxS = 1f;

        /// <summary>Walking after this many regular steps in a row. Default 3: one swing of a kettlebell or a shuffle is not a walk.</summary>
        public int WalkSteps = 3;
    }
}
