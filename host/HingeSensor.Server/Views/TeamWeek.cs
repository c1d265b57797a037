using System;
using System.Collections.Generic;
using System.Globalization;

namespace HingeSensor.Server.Views
{
    /// <summary>
    /// A week as the team page counts it: ISO 8601, Monday 00:00 to Monday 00:00 UTC (the server
    /// has no time zone per team), named "2026-W49". The trend compares it with the
    /// <see cref="PreviousWeeks"/> weeks before it.
    /// </summary>
    public sealed record TrainingWeek(int Year, int Week)
    {
        public const int PreviousWeeks = 4;

        public DateTimeOffset Start => new(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday), TimeSpan.Zero);
        public DateTimeOffset End => Start.AddDays(7);
        public DateTimeOffset PreviousStart => Start.AddDays(-7 * PreviousWeeks);
        public TrainingWeek Before => Of(Start.AddDays(-7));
        public TrainingWeek After => Of(End);

        public override string ToString() => $"{Year:D4}-W{Week:D2}";

        public static TrainingWeek Of(DateTimeOffset t) => new(ISOWeek.GetYear(t.UtcDateTime), ISOWeek.GetWeekOfYear(t.UtcDateTime));

        /// <summary>"2026-W49" (also "2026W49", lower case); the week of <paramref name="now"/> when none is given.</summary>
        public static TrainingWeek Parse(string? text, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(text)) return Of(now);
            string t = text.Trim().ToUpperInvariant().Replace("-W", "W", StringComparison.Ordinal);
            int w = t.IndexOf('W');
            if (w == 4 && int.TryParse(t.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out int year)
                && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int week)
                && year >= 2000 && year <= 9998 && week >= 1 && week <= ISOWeek.GetWeeksInYear(year))
                return new TrainingWeek(year, week);
            throw new FormatException($"'{text}' is not a week: write it as ISO 8601 does, e.g. 2026-W49 (weeks 1 to 52 or 53, Monday to Sunday, UTC)");
        }
    }

    /// <summary>
    /// One member's week: their sessions that started in it, added up from the summaries stored at
    /// upload, and the same sums over the four weeks before it for the trend.
    /// </summary>
    public sealed record MemberWeek(long PersonId, string Name, string Role, int Sessions, int Reps, int RepsWithFault, int RepsDepthReached, int RepsDepthKnown,
        int Alerts, double DurationS, int PreviousSessions, int PreviousReps, int PreviousRepsWithFault)
    {
        /// <summary>A change in fault rate smaller than this (5 percentage points) is "steady".</summary>
        public const double SteadyBand = 0.05;

        /// <summary>Counted reps with at least one fault / counted reps, as `hinge trends`; null without reps.</summary>
        public double? FaultRate => Reps > 0 ? (double)RepsWithFault / Reps : null;

        public double? PreviousFaultRate => PreviousReps > 0 ? (double)PreviousRepsWithFault / PreviousReps : null;

        /// <summary>Reps that reached the depth target / reps whose depth the device judged; null when it judged none.</summary>
        public double? DepthShare => RepsDepthKnown > 0 ? (double)RepsDepthReached / RepsDepthKnown : null;

        /// <summary>Alerts (any fault) per minute recorded; null without recorded time.</summary>
        public double? AlertsPerMinute => DurationS > 0 ? Alerts / (DurationS / 60) : null;

        /// <summary>
        /// "better" (fault rate down by at least <see cref="SteadyBand"/> against the reps of the
        /// previous weeks pooled), "worse" (up by as much), "steady", or "none" when either side has no reps.
        /// </summary>
        public string Trend => FaultRate is double now && PreviousFaultRate is double before
            ? now <= before - SteadyBand ? "better" : now >= before + SteadyBand ? "worse" : "steady"
            : "none";
    }

    /// <summary>A page of a team's members in name order and the cursor of the next (null: the last).</summary>
    public sealed record TeamWeekPage(long TeamId, string Team, TrainingWeek Week, IReadOnlyList<MemberWeek> Members, string? Next);
}
