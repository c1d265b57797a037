using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Host.Recording;

namespace HingeSensor.Host.Analysis
{
    /// <summary>
    /// Why a recording did not calibrate, in sentences, and how to go on: which captures were tried
    /// and what they said, where the wearer came closest to standing still (and whether that would
    /// do as a neutral, with the exact --neutral option to paste), and the windows to give by hand.
    /// </summary>
    public static class CalibrationAdvice
    {
        public static IReadOnlyList<string> Explain(AnalysisResult r, TrackerSettings settings)
        {
            var lines = new List<string>();
            double first = r.FirstS, last = r.FirstS + r.DurationS;
            AnalysisConfig c = r.Config;
            CalibrationStepRecord? neutralOk = r.Calibration.FirstOrDefault(o => o.Step == "neutral" && o.Status == "ok");
            bool neutralMarked = c.CalibrationSource is "windows" or "neutral window, automatic hinge";
            bool hingeMarked = c.CalibrationSource is "windows" or "automatic neutral, hinge window";

            if (neutralOk != null)
                lines.Add($"neutral: ok at {S(neutralOk.StartS)}–{S(neutralOk.EndS)} s.");
            else
            {
                if (neutralMarked && Outside(c.NeutralWindow!, first, last))
                    lines.Add($"neutral: the window {W(c.NeutralWindow!)} s lies outside the recording ({S(first)}–{S(last)} s).");
                foreach (CalibrationStepRecord o in r.Calibration.Where(o => o.Step == "neutral"))
                    lines.Add($"neutral at {S(o.StartS)}–{S(o.EndS)} s: {o.Message}.");
                if (!neutralMarked && !r.Calibration.Any(o => o.Step == "neutral"))
                {
                    var f = settings.Fusion;
                    lines.Add($"neutral: the analysis calibrates by itself where all three sensors are at rest for {N(f.RestMinDurationS)} s " +
                              $"(turning under {N(f.RestGyroThresholdDps)} °/s) — the wearer standing still and tall — and this recording has no such moment.");
                }
                lines.AddRange(Stillest(r.Stillest, settings));
            }

            foreach (CalibrationStepRecord o in r.Calibration.Where(o => o.Step == "hinge" && o.Status != "ok"))
                lines.Add($"hinge at {S(o.StartS)}–{S(o.EndS)} s: {o.Message}.");
            if (hingeMarked && Outside(c.HingeWindow!, first, last))
                lines.Add($"hinge: the window {W(c.HingeWindow!)} s lies outside the recording ({S(first)}–{S(last)} s).");
            else if (neutralOk != null && !hingeMarked && !r.Calibration.Any(o => o.Step == "hinge"))
                lines.Add($"hinge: none found after the neutral (a slow straight-back hinge, the upper back down past {N(settings.CaptureDownDeg)}° and back up).");

            string hinge = hingeMarked ? "--hinge " + W(c.HingeWindow!) : "--hinge T0-T1";
            const string seconds = "in seconds on the recording's clock";
            const string hingeMove = "a slow straight-back hinge down and up";
            if (neutralOk != null)
                lines.Add(hingeMarked ? $"To go on, give another hinge window ({seconds}) around {hingeMove}." : $"To go on, give the hinge window ({seconds}): --hinge T0-T1 around {hingeMove}.");
            else if (r.Stillest is { Usable: true } still)
            {
                lines.Add(hingeMarked ? "To go on, if the wearer stood still and tall then, analyze again with:"
                                      : $"To go on, if the wearer stood still and tall then, analyze again with (T0-T1 {seconds} around {hingeMove}):");
                lines.Add($"  --neutral {S(still.StartS)}-{S(still.EndS)} {hinge}");
            }
            else
                lines.Add($"To go on, give the windows where you know them, {seconds}: --neutral T0-T1 (standing still and tall, at least {N(settings.Calibration.MinNeutralDurationS)} s)" +
                          (hingeMarked ? $" with {hinge}." : $" --hinge T0-T1 ({hingeMove})."));
            return lines;
        }

        private static IEnumerable<string> Stillest(StillWindow? w, TrackerSettings settings)
        {
            var l = settings.Calibration;
            if (w == null)
            {
                yield return $"The recording is shorter than the {N(l.MinNeutralDurationS)} s a neutral stance needs.";
                yield break;
            }
            yield return $"The stillest {N(l.MinNeutralDurationS)} s are {S(w.StartS)}–{S(w.EndS)} s: gravity direction spread head {N(w.SpreadDeg[0])}°, upper back {N(w.SpreadDeg[1])}°, sacrum {N(w.SpreadDeg[2])}° " +
                         $"(a neutral allows {N(l.MaxNeutralSpreadDeg)}°), turning head {N(w.RateDps[0])}, upper back {N(w.RateDps[1])}, sacrum {N(w.RateDps[2])} °/s RMS (allows {N(l.MaxNeutralRateDps)})" +
                         (w.Usable ? ": still enough for a neutral." : ": not still enough for a neutral.");
        }

        private static bool Outside(double[] w, double first, double last) => w[1] < first || w[0] > last;

        private static string W(double[] w) => $"{S(w[0])}-{S(w[1])}";
        private static string S(double t) => t.ToString("0.##", CultureInfo.InvariantCulture);
        private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
    }
}
