using System.Collections.Generic;
using System.Linq;
using HingeSensor.Host.Cli;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// What one session adds to a wearer's trend: how many reps, what share of them had a fault, and
    /// how deep a typical rep went (the median, so one deep or aborted rep does not move it).
    /// </summary>
    public sealed record SessionTrend(long SessionId, string Device, long StartUnixMs, double DurationS,
        int CountedReps, int FaultyReps, int Alerts, double MedianDepthDeg)
    {
        /// <summary>Of the counted reps whose shape the device judged: the share done as a hinge, 0–1 (NaN: none judged).</summary>
        public double HingeShare { get; init; } = double.NaN;
        /// <summary>Of the counted reps whose shape the device judged: the share that reached the target depth.</summary>
        public double DepthReachedShare { get; init; } = double.NaN;
        /// <summary>Of the counted reps whose finish the device judged: the share that finished tall.</summary>
        public double LockoutOkShare { get; init; } = double.NaN;
        /// <summary>The median descent of the counted reps, s (tempo).</summary>
        public double MedianDescentS { get; init; } = double.NaN;

        /// <summary>Faulty counted reps / counted reps, 0–1; NaN for a session without reps.</summary>
        public double FaultRate => CountedReps == 0 ? double.NaN : (double)FaultyReps / CountedReps;

        public static SessionTrend Of(StoredSession s)
        {
            var counted = s.Reps.Where(r => r.Counted).ToList();
            var shaped = counted.Where(r => r.Pattern != "unknown").ToList();
            var finished = counted.Where(r => r.Lockout != "unknown").ToList();
            return new SessionTrend(s.Summary.Id, s.Summary.Device, s.Summary.StartUnixMs, s.Summary.DurationS,
                counted.Count, counted.Count(r => r.Faults.Count > 0), s.Alerts.Count, Median(counted.Select(r => r.DepthDeg)))
            {
                HingeShare = Share(shaped, r => r.Pattern == "hinge"),
                DepthReachedShare = Share(shaped, r => r.DepthReached == true),
                LockoutOkShare = Share(finished, r => r.Lockout == "ok"),
                MedianDescentS = Median(counted.Select(r => r.DescentS)),
            };
        }

        private static double Share(List<StoredRep> reps, System.Func<StoredRep, bool> yes) =>
            reps.Count == 0 ? double.NaN : (double)reps.Count(yes) / reps.Count;



        /// <summary>
        /// The trend of every stored session (of one device, when given), in the order they were stored. Sessions are
        /// read one at a time and only their summary kept: frames are the bulk of a session.
        /// </summary>
        public static IReadOnlyList<SessionTrend> FromDatabase(SessionDatabase db, string? device = null) =>
            db.ListSessions().Where(s => device == null || s.Device == device)
                .Select(s => db.GetSession(s.Id)).Where(s => s != null).Select(s => Of(s!)).ToList();

        /// <summary>The median of the finite values; NaN when there are none.</summary>
        public static double Median(IEnumerable<double> values)
        {
            var v = values.Where(double.IsFinite).OrderBy(x => x).ToArray();
            if (v.Length == 0) return double.NaN;
            int mid = v.Length / 2;
            return v.Length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
        }

        public string Started => HistoryCommand.Started(StartUnixMs);
    }
}
