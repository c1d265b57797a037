using System.Collections.Generic;

namespace HingeSensor.DevTools.Evaluation.PublicRecordings
{
    /// <summary>Totals per dataset over the verdicts: how long, how many calibrated, reps, alerts and their rate, time judged sitting.</summary>
    public sealed record PublicSummary(List<PublicSummary.DatasetFigures> Datasets)
    {
        public sealed record DatasetFigures(string Dataset, int Recordings, double Minutes, int Calibrated, int Reps, int Alerts, double AlertsPerHour, double SittingSeconds);

        public static PublicSummary Of(List<RecordingVerdict> verdicts)
        {
            var order = new List<string>();
            var by = new Dictionary<string, List<RecordingVerdict>>();
            foreach (RecordingVerdict v in verdicts)
            {
                if (!by.TryGetValue(v.Dataset, out List<RecordingVerdict>? list)) { by[v.Dataset] = list = new(); order.Add(v.Dataset); }
                list.Add(v);
            }
            var figures = new List<DatasetFigures>();
            foreach (string d in order)
            {
                double seconds = 0, sitting = 0;
                int calibrated = 0, reps = 0, alerts = 0;
                foreach (RecordingVerdict v in by[d])
                {
                    seconds += v.DurationS;
                    sitting += v.ActivitySeconds.TryGetValue("sitting", out double s) ? s : 0;
                    if (v.Calibrated) calibrated++;
                    reps += v.Reps.Count;
                    alerts += v.Alerts.Count;
                }
                figures.Add(new DatasetFigures(d, by[d].Count, System.Math.Round(seconds / 60, 2), calibrated, reps, alerts,
                    seconds > 0 ? System.Math.Round(alerts * 3600 / seconds, 1) : 0, System.Math.Round(sitting, 1)));
            }
            return new PublicSummary(figures);
        }
    }
}
