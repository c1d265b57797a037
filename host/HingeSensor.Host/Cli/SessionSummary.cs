using System.Linq;
using HingeSensor.Host.Storage;
using Spectre.Console;

namespace HingeSensor.Host.Cli
{
    /// <summary>What a stored session comes to: reps, faults, worst angles — for `history show`.</summary>
    internal sealed record SessionSummary(long Id, string Source, string Device, string Started, double DurationS, int CountedReps, int FaultyReps,
        int Alerts, string[] FaultsSeen, double DeepestTorsoDeg, double WorstTrunkFlexionDeg, double WorstHeadFlexionDeg)
    {
        public static SessionSummary Of(StoredSession s)
        {
            var counted = s.Reps.Where(r => r.Counted).ToList();
            static double Max(System.Collections.Generic.IEnumerable<double> v) => v.Where(x => !double.IsNaN(x)).DefaultIfEmpty(double.NaN).Max();
            return new SessionSummary(s.Summary.Id, s.Summary.Source, s.Summary.Device, HistoryCommand.Started(s.Summary.StartUnixMs), s.Summary.DurationS,
                counted.Count, counted.Count(r => r.Faults.Count > 0), s.Alerts.Count, s.Alerts.Select(a => a.Fault).Distinct().ToArray(),
                Max(counted.Select(r => r.DepthDeg)), Max(counted.Select(r => r.MaxTrunkFlexionDeg)), Max(counted.Select(r => r.MaxHeadFlexionDeg)));
        }

        public static void Print(IAnsiConsole console, StoredSession s, SessionSummary m)
        {
            var t = new Table().Border(TableBorder.Rounded).Title($"[bold]session #{m.Id}[/]");
            t.AddColumn("");
            t.AddColumn("");
            t.AddRow("source", Markup.Escape($"{m.Source}: {m.Device}"));
            t.AddRow("started", m.Started);
            t.AddRow("duration", $"{m.DurationS / 60:0.0} min");
            t.AddRow("reps", $"{m.CountedReps} ({m.FaultyReps} with a fault)");
            t.AddRow("alerts", m.Alerts == 0 ? "none" : $"{m.Alerts} ({Markup.Escape(string.Join(", ", m.FaultsSeen))})");
            t.AddRow("deepest hinge (torso)", $"{m.DeepestTorsoDeg:0}°");
            t.AddRow("worst trunk flexion", $"{m.WorstTrunkFlexionDeg:0}° (threshold {s.ThresholdsDeg["back_rounding"]:0}°)");
            t.AddRow("worst head flexion", $"{m.WorstHeadFlexionDeg:0}° (threshold {s.ThresholdsDeg["chin_drop"]:0}°)");
            t.AddRow("calibration", s.Calibration.Count == 0 ? "none stored"
                : string.Join(", ", s.Calibration.Select(c => $"{(c.Segment == 0 ? "head" : c.Segment == 1 ? "upper back" : "sacrum")}: {(c.HasNeutral ? "neutral" : "-")}/{(c.HasHinge ? "hinge" : "-")}")));
            console.Write(t);
            if (s.Reps.Count == 0) return;
            var reps = new Table().Border(TableBorder.Simple).AddColumns("rep", "depth", "down", "up", "trunk max", "head max", "faults");
            foreach (var r in s.Reps.Where(r => r.Counted))
                reps.AddRow(r.Number.ToString(), $"{r.DepthDeg:0}°", $"{r.DescentS:0.0} s", $"{r.AscentS:0.0} s", $"{r.MaxTrunkFlexionDeg:0}°", $"{r.MaxHeadFlexionDeg:0}°",
                    r.Faults.Count == 0 ? "[green]-[/]" : $"[red]{Markup.Escape(string.Join(", ", r.Faults))}[/]");
            console.Write(reps);
        }
    }
}
