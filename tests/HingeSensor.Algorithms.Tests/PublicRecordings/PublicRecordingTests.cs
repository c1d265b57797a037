using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using HingeSensor.DevTools.Cli;
using HingeSensor.DevTools.Evaluation.PublicRecordings;
using HingeSensor.Host.Cli;
using Xunit;

namespace HingeSensor.Algorithms.Tests.PublicRecordings
{
    /// <summary>
    /// The product on recordings nobody here made (docs/public-recordings.md). They are not in the
    /// repository: these tests run where the clones are ($HINGESENSOR_PUBLIC_DIR or ../public beside
    /// the checkout) and skip elsewhere. What they hold is what the closing note reports.
    /// </summary>
    public sealed class PublicRecordingTests : IDisposable
    {
        private readonly string _work = Path.Combine(Path.GetTempPath(), "hinge-public-data-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_work)) Directory.Delete(_work, true);
        }

        private static void SkipWithout(string root) =>
            Skip.IfNot(Directory.Exists(root), $"public recordings not found at {root} (docs/public-recordings.md; set {PublicRecordingData.DirectoryVariable})");

        [SkippableFact]
        public void Every_TrunkyXL_trial_is_read_and_nothing_is_judged_without_a_calibration()
        {
            SkipWithout(PublicRecordingData.TrunkyXl);
            var outcome = PublicRecordingEvaluation.Run(PublicRecordingData.TrunkyXl, null, _work);
            Assert.True(outcome.Verdicts.Count >= 40, $"{outcome.Verdicts.Count} trials converted");
            // Nothing is skipped for a reason other than the dataset's own: orientation-only exports,
            // unfinished recordings, a folder holding only info.txt, the one recording stored twice.
            Assert.All(outcome.Skipped, s => Assert.Matches("orientations only|no info.txt|no R/Back|the same samples as", s.Reason));
            // Without 2 s of rest for a neutral the product calibrates nothing and judges nothing
            // rather than guess; most validation trials start moving within a second.
            foreach (RecordingVerdict v in outcome.Verdicts.Where(v => !v.Calibrated))
            {
                Assert.Empty(v.Alerts);
                Assert.Empty(v.Reps);
            }
            Assert.True(outcome.Verdicts.Count(v => !v.Calibrated) >= 40);
            // The short validation trials (bend forward and back, sideways, twist: under a minute)
            // raise no alert, calibrated or not.
            Assert.All(outcome.Verdicts.Where(v => v.DurationS < 60), v => Assert.Empty(v.Alerts));
        }

        [SkippableFact]
        public void A_converted_trial_goes_through_hinge_analyze_as_a_user_would_give_it()
        {
            SkipWithout(PublicRecordingData.TrunkyXl);
            Directory.CreateDirectory(_work);
            string trial = TrunkyXlTrial.FindTrials(PublicRecordingData.TrunkyXl).First(t => TrunkyXlTrial.Unusable(t) == null);
            string raw = Path.Combine(_work, "trial.csv");
            TrunkyXlTrial.Convert(trial, raw);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = HingeCli.Run(new[] { "analyze", "--input", raw, "--out", Path.Combine(_work, "r.json") }, stdout, stderr);
            // 0: calibrated and analysed; 1: not calibrated, with what to give instead. Never a crash.
            Assert.True(code is 0 or 1, stderr.ToString());
            if (code == 1) Assert.Contains("--neutral T0-T1", stderr.ToString());
        }

        [SkippableFact]
        public void Every_sensor_of_both_datasets_turns_the_way_its_accelerometer_says()
        {
            SkipWithout(PublicRecordingData.TrunkyXl);
            SkipWithout(PublicRecordingData.Arai);
            Directory.CreateDirectory(_work);
            int checkedSensors = 0;
            foreach (string trial in TrunkyXlTrial.FindTrials(PublicRecordingData.TrunkyXl).Where(t => TrunkyXlTrial.Unusable(t) == null).Take(12))
            {
                string raw = Path.Combine(_work, "t.csv");
                TrunkyXlTrial.Convert(trial, raw);
                foreach (int sensor in new[] { 1, 2 }) checkedSensors += Holds(raw, sensor, TrunkyXlTrial.RateHz, trial);
            }
            foreach (string file in AraiRecording.FindFiles(PublicRecordingData.Arai))
            {
                string raw = Path.Combine(_work, "a.csv");
                AraiRecording.Convert(file, raw);
                foreach (int sensor in new[] { 1, 2 }) checkedSensors += Holds(raw, sensor, AraiRecording.RateHz, file);
            }
            Assert.True(checkedSensors >= 20, $"{checkedSensors} sensors checked");
        }

        private static int Holds(string raw, int sensor, double rate, string what)
        {
            var (same, reversed) = GyroHandedness.OfRecording(raw, sensor, rate);
            Assert.True(same * 1.5 < reversed, $"{what} sensor {sensor}: mismatch {same:0.0000} as recorded vs {reversed:0.0000} reversed");
            return 1;
        }

        [SkippableFact]
        public void On_the_hip_belt_recordings_the_product_calibrates_walks_and_counts_the_bends()
        {
            SkipWithout(PublicRecordingData.Arai);
            var outcome = PublicRecordingEvaluation.Run(null, PublicRecordingData.Arai, _work);
            RecordingVerdict calibration = outcome.Verdicts.Single(v => v.Name == "calibration");
            RecordingVerdict movement = outcome.Verdicts.Single(v => v.Name == "movement");
            // Both calibrate on their own: neutral in the first quiet standing, hinge on the first bend.
            foreach (RecordingVerdict v in new[] { calibration, movement })
            {
                Assert.True(v.Calibrated, v.Name + ": " + string.Join("; ", v.Calibration));
                Assert.StartsWith("neutral ok", v.Calibration[0]);
            }
            // Walking on the flat and down the stairs reads as walking most of the time.
            double Share(RecordingVerdict v, string label, string kind) =>
                v.ByLabel[label].ActivitySeconds.TryGetValue(kind, out double s) ? s / v.ByLabel[label].Seconds : 0;
            Assert.True(Share(movement, "wandelen-normaal", "walking") >= 0.5, $"walking {Share(movement, "wandelen-normaal", "walking"):P0}");
            Assert.True(Share(movement, "wandelen-trappen_af", "walking") >= 0.5, $"stairs down {Share(movement, "wandelen-trappen_af", "walking"):P0}");
            // Every labelled bend of the movement file holds a counted rep, and the lifts through the
            // knees drop the sacrum as far as a squat does (a real, not simulated, sacrum).
            Assert.True(movement.ByLabel["buiging-benen_gestrekt"].RepPatterns.Values.Sum() >= 2);
            var throughKnees = movement.Reps.Where(r => r.Counted && movement.Labels("buiging-door_knieen").Any(l => r.StartS >= l.StartS && r.StartS < l.EndS)).ToList();
            Assert.NotEmpty(throughKnees);
            Assert.Contains(throughKnees, r => r.Pattern == "squat" && r.SacrumDropCm >= 30);
        }

        [SkippableFact]
        public void Eval_public_prints_one_json_object_with_every_recording_and_the_totals()
        {
            SkipWithout(PublicRecordingData.Arai);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = DevCli.Run(new[] { "eval", "public", "--arai", PublicRecordingData.Arai, "--json" }, stdout, stderr);
            Assert.True(code == 0, stderr.ToString());
            using JsonDocument doc = JsonDocument.Parse(stdout.ToString());
            Assert.Contains(doc.RootElement.GetProperty("recordings").EnumerateArray(), r => r.GetProperty("name").GetString() == "movement");
            Assert.Contains(doc.RootElement.GetProperty("summary").GetProperty("datasets").EnumerateArray(), d => d.GetProperty("dataset").GetString() == "Arai");
        }
    }
}
