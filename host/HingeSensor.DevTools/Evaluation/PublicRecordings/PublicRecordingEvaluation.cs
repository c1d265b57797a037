using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using HingeSensor.Host.Analysis;
using HingeSensor.Host.IO;

namespace HingeSensor.DevTools.Evaluation.PublicRecordings
{
    /// <summary>
    /// Converts the public recordings to our raw format and runs each through `hinge analyze`'s
    /// path (<see cref="RecordingAnalyzer"/>: the device's per-sample pipeline, calibrating as the
    /// device does), then sets what the product said beside what the authors labelled.
    /// </summary>
    public static class PublicRecordingEvaluation
    {
        /// <summary>The activity "kind" of time the product said nothing about (not yet calibrated).</summary>
        public const string Unjudged = "(not calibrated yet)";

        public sealed record Outcome(List<RecordingVerdict> Verdicts, List<TrunkyXlTrial.Skipped> Skipped);

        /// <summary>
        /// Every usable TrunkyXL trial and every labelled Arai file found under the given clones (a
        /// null root is not looked at). Converted files go to <paramref name="workDir"/>.
        /// </summary>
        public static Outcome Run(string? trunkyXlRoot, string? araiRoot, string workDir)
        {
            Directory.CreateDirectory(workDir);
            var verdicts = new List<RecordingVerdict>();
            var skipped = new List<TrunkyXlTrial.Skipped>();
            if (trunkyXlRoot != null)
            {
                var seen = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (string trial in TrunkyXlTrial.FindTrials(trunkyXlRoot))
                {
                    string name = TrunkyXlTrial.NameOf(trial);
                    string? why = TrunkyXlTrial.Unusable(trial);
                    if (why != null) { skipped.Add(new TrunkyXlTrial.Skipped(name, why)); continue; }
                    string key = TrunkyXlTrial.ContentKey(trial);
                    if (seen.TryGetValue(key, out string? first)) { skipped.Add(new TrunkyXlTrial.Skipped(name, "the same samples as " + first + " (counted once)")); continue; }
                    seen[key] = name;
                    string raw = Path.Combine(workDir, "trunkyxl-" + name.Replace('/', '-') + ".csv");
                    try { verdicts.Add(Judge(TrunkyXlTrial.Convert(trial, raw))); }
                    catch (DataFormatException e) { skipped.Add(new TrunkyXlTrial.Skipped(name, e.Message)); }
                }
            }
            if (araiRoot != null)
            {
                foreach (string file in AraiRecording.FindFiles(araiRoot))
                {
                    string raw = Path.Combine(workDir, "arai-" + AraiRecording.NameOf(file) + ".csv");
                    verdicts.Add(Judge(AraiRecording.Convert(file, raw)));
                }
            }
            return new Outcome(verdicts, skipped);
        }

        /// <summary>Analyses one converted recording and compares it with its labels.</summary>
        public static RecordingVerdict Judge(PublicRecording recording)
        {
            AnalysisResult r = RecordingAnalyzer.Analyze(recording.RawCsvPath);
            var calibration = new List<string>();
            foreach (CalibrationStepRecord step in r.Calibration)
                calibration.Add($"{step.Step} {step.Status} at {Fmt(step.StartS)}–{Fmt(step.EndS)} s" + (step.Status == "ok" ? "" : ": " + step.Message));
            if (r.Calibration.Count == 0) calibration.Add("no calibration step was tried: no still moment of ≥ 1.5 s with all three sensors at rest");
            var activity = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (ActivitySpan a in r.Activity) Add(activity, a.Kind, a.EndS - a.StartS);
            var byLabel = new SortedDictionary<string, LabelAgreement>(StringComparer.Ordinal);
            foreach (LabeledSpan label in recording.Labels)
            {
                if (!byLabel.TryGetValue(label.Label, out LabelAgreement? agreement)) byLabel[label.Label] = agreement = new LabelAgreement();
                agreement.Seconds += label.EndS - label.StartS;
                agreement.Spans++;
                foreach (ActivitySpan a in r.Activity)
                {
                    double overlap = Math.Min(a.EndS, label.EndS) - Math.Max(a.StartS, label.StartS);
                    if (overlap > 0) Add(agreement.ActivitySeconds, a.Kind, overlap);
                }
                foreach (RepRecord rep in r.Reps)
                    if (rep.StartS >= label.StartS && rep.StartS < label.EndS) Increment(agreement.RepPatterns, rep.Pattern);
                foreach (AlertRecord alert in r.Alerts)
                    if (alert.OnsetS >= label.StartS && alert.OnsetS < label.EndS) Increment(agreement.Alerts, alert.Fault);
            }
            foreach (LabelAgreement agreement in byLabel.Values)
            {
                // Time with no activity at all: before calibration (the analysis reports none then).
                double judged = 0;
                foreach (double v in agreement.ActivitySeconds.Values) judged += v;
                if (agreement.Seconds - judged > 0.01) agreement.ActivitySeconds[Unjudged] = agreement.Seconds - judged;
            }
            return new RecordingVerdict
            {
                Dataset = recording.Dataset,
                Name = recording.Name,
                Setting = recording.Setting,
                Mapping = recording.SensorMapping,
                DurationS = Math.Round(r.DurationS, 2),
                Calibrated = r.Calibrated,
                Calibration = calibration,
                Reps = r.Reps,
                Alerts = r.Alerts,
                ActivitySeconds = Rounded(activity),
                ByLabel = byLabel,
                LabelSpans = recording.Labels,
            };
        }

        private static void Add(SortedDictionary<string, double> d, string key, double v) => d[key] = (d.TryGetValue(key, out double x) ? x : 0) + v;
        private static void Increment(SortedDictionary<string, int> d, string key) => d[key] = (d.TryGetValue(key, out int x) ? x : 0) + 1;

        private static SortedDictionary<string, double> Rounded(SortedDictionary<string, double> d)
        {
            var r = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var kv in d) r[kv.Key] = Math.Round(kv.Value, 2);
            return r;
        }

        private static string Fmt(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
    }
}
