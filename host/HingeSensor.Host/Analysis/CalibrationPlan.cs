using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Host.Recording;

namespace HingeSensor.Host.Analysis
{
    /// <summary>
    /// When to run which calibration capture while a recording streams past: at the windows the
    /// recording marks, or — for a window it does not mark — as the device would: neutral once all
    /// three sensors have been at rest, then the first hinge down and back up.
    /// </summary>
    public sealed class CalibrationPlan
    {
        private readonly RawMetadata _meta;
        private bool _neutralDone, _hingeDone, _rangeDone;
        private bool _autoNeutralStarted, _autoHingeStarted;

        public CalibrationPlan(RawMetadata meta) { _meta = meta; }

        public string Source => _meta.Neutral != null
            ? (_meta.HingeCalibration != null ? "windows" : "neutral window, automatic hinge")
            : (_meta.HingeCalibration != null ? "automatic neutral, hinge window" : "automatic");
        public double[]? NeutralWindow => _meta.Neutral is TimeWindow w ? new[] { w.StartS, w.EndS } : AutoNeutral;
        public double[]? HingeWindow => _meta.HingeCalibration is TimeWindow w ? new[] { w.StartS, w.EndS } : AutoHinge;
        public double[]? RangeWindow => _meta.RangeCalibration is TimeWindow w ? new[] { w.StartS, w.EndS } : null;

        private double[]? AutoNeutral { get; set; }
        private double[]? AutoHinge { get; set; }

        /// <summary>Begins or ends marked captures at the sample's time (before the sample is processed).</summary>
        public void BeforeSample(PostureTracker tracker, double t)
        {
            if (_meta.Neutral is TimeWindow n && !_neutralDone) _neutralDone = Window(tracker, CalibrationStep.Neutral, n, t);
            else if (_meta.HingeCalibration is TimeWindow h && !_hingeDone && (_neutralDone || _meta.Neutral == null)) _hingeDone = Window(tracker, CalibrationStep.Hinge, h, t);
            else if (_meta.RangeCalibration is TimeWindow r && !_rangeDone) _rangeDone = Window(tracker, CalibrationStep.Range, r, t);
        }

        /// <summary>
        /// The recording is over: a marked window it ended inside is closed here, so that its
        /// capture is judged on what there was instead of vanishing without a verdict.
        /// </summary>
        public void Finish(PostureTracker tracker)
        {
            CalibrationStep s = tracker.Capturing;
            bool marked = (s == CalibrationStep.Neutral && _meta.Neutral != null && !_neutralDone)
                          || (s == CalibrationStep.Hinge && _meta.HingeCalibration != null && !_hingeDone)
                          || (s == CalibrationStep.Range && _meta.RangeCalibration != null && !_rangeDone);
            if (marked) tracker.EndCalibration();
        }

        /// <summary>Drives the automatic captures (after the sample, when the filters know about rest).</summary>
        public void AfterSample(PostureTracker tracker, double t)
        {
            if (tracker.Capturing != CalibrationStep.None) return;
            bool needNeutral = _meta.Neutral == null && !tracker.Calibration.Segments[0].HasNeutral;
            if (needNeutral)
            {
                if (AllAtRest(tracker))
                {
                    tracker.BeginCalibration(CalibrationStep.Neutral, 2.5f);
                    AutoNeutral = new[] { t, t + 2.5 };
                    _autoNeutralStarted = true;
                }
                return;
            }
            bool needHinge = _meta.HingeCalibration == null && !tracker.Calibration.IsComplete && !_autoHingeStarted
                             && (_autoNeutralStarted ? tracker.Calibration.Segments[0].HasNeutral : _neutralDone);
            if (needHinge)
            {
                tracker.BeginCalibration(CalibrationStep.Hinge, 30f);
                AutoHinge = new[] { t, double.NaN };
                _autoHingeStarted = true;
            }
            else if (_autoHingeStarted && AutoHinge != null && double.IsNaN(AutoHinge[1]))
            {
                AutoHinge[1] = t;
                if (!tracker.Calibration.IsComplete) _autoHingeStarted = false; // try again on the next hinge
            }
        }

        private static bool AllAtRest(PostureTracker tracker)
        {
            for (int i = 0; i < Segments.Count; i++)
                if (!tracker.Filter(i).IsRest) return false;
            return true;
        }

        // Returns true once the window is over.
        private static bool Window(PostureTracker tracker, CalibrationStep step, TimeWindow w, double t)
        {
            if (tracker.Capturing == step)
            {
                if (t > w.EndS)
                {
                    tracker.EndCalibration();
                    return true;
                }
                return false;
            }
            if (t >= w.StartS && t <= w.EndS) tracker.BeginCalibration(step, 0);
            return t > w.EndS;
        }
    }
}
