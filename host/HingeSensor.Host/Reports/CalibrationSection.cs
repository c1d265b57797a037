using System.Collections.Generic;
using System.Linq;
using System.Text;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// The calibration the session's angles rest on and the thresholds it was judged with, so that a
    /// coach reading the report can tell a real fault from a strap that sat badly.
    /// </summary>
    public static class CalibrationSection
    {
        public const string Id = "calibration";

        private static readonly string[] SegmentNames = { "head", "upper back", "sacrum" };

        // Threshold keys as SessionDatabase stores them, what each means to the wearer, and the sign
        // of the angle it stands for (head up is stored as a positive extension).
        private static readonly (string Key, string Meaning, int Sign)[] ThresholdMeanings =
        {
            ("back_rounding", "back rounding: trunk flexion above", 1),
            ("chin_drop", "chin drop: head flexion above", 1),
            ("head_up", "head up: head flexion below", -1),
            ("gate_open_torso", "faults are judged once the torso angle is past", 1),
        };

        public static string SegmentName(int segment) => segment >= 0 && segment < SegmentNames.Length ? SegmentNames[segment] : $"segment {segment}";

        public static void Write(StringBuilder html, StoredSession s)
        {
            html.Append("<section id=\"").Append(Id).Append("\">\n<h2>Calibration and thresholds</h2>\n");
            WriteSegments(html, s.Calibration);
            html.Append("<table id=\"thresholds\">\n<thead><tr><th class=\"text\">threshold</th><th>value</th></tr></thead>\n<tbody>\n");
            foreach (var (key, meaning, sign) in ThresholdMeanings.Where(t => s.ThresholdsDeg.ContainsKey(t.Key)))
                html.Append("<tr data-threshold=\"").Append(key).Append("\" data-value-deg=\"").Append(Html.Data(s.ThresholdsDeg[key])).Append("\">")
                    .Append("<td class=\"text\">").Append(Html.Encode(meaning)).Append("</td><td>").Append(Html.Deg(sign * s.ThresholdsDeg[key])).Append("</td></tr>\n");
            html.Append("</tbody>\n</table>\n");
            if (s.BackRoundingPercentOfRange is double pct && s.ThresholdsDeg.TryGetValue("back_rounding", out double deg))
                html.Append("<p class=\"note\" id=\"range-threshold\">Back rounding was judged as ").Append(Html.Number(pct, "0"))
                    .Append(" % of the wearer's calibrated flexion range: ").Append(Html.Deg(deg)).Append(".</p>\n");
            html.Append("<p class=\"note\">Wearer height ").Append(Html.Number(s.HeightCm, "0")).Append(" cm.</p>\n</section>\n");
        }

        private static void WriteSegments(StringBuilder html, IReadOnlyList<StoredCalibration> calibration)
        {
            if (calibration.Count == 0)
            {
                html.Append("<p class=\"note\" id=\"no-calibration\">No calibration is stored with this session: angles are the sensors' own, as mounted.</p>\n");
                return;
            }
            html.Append("<table id=\"calibration-segments\">\n<thead><tr><th class=\"text\">segment</th><th class=\"text\">standing neutral</th>")
                .Append("<th>sway while standing (RMS)</th><th class=\"text\">slow hinge</th><th>hinge planarity (1 = pure hinge)</th><th>hinge axis tilt</th></tr></thead>\n<tbody>\n");
            foreach (StoredCalibration c in calibration.OrderBy(c => c.Segment))
                html.Append("<tr data-segment=\"").Append(c.Segment).Append("\"><td class=\"text\">").Append(Html.Encode(SegmentName(c.Segment))).Append("</td>")
                    .Append("<td class=\"text\">").Append(c.HasNeutral ? "captured" : "missing").Append("</td>")
                    .Append("<td>").Append(c.HasNeutral ? Html.Deg(c.NeutralSpreadDeg) : "–").Append("</td>")
                    .Append("<td class=\"text\">").Append(c.HasHinge ? "captured" : "missing").Append("</td>")
                    .Append("<td>").Append(c.HasHinge ? Html.Number(c.HingePlanarity, "0.000") : "–").Append("</td>")
                    .Append("<td>").Append(c.HasHinge ? Html.Deg(c.HingeAxisTiltDeg) : "–").Append("</td></tr>\n");
            html.Append("</tbody>\n</table>\n");
            double? range = calibration.Select(c => c.RangeTrunkFlexionDeg).FirstOrDefault(r => r.HasValue);
            html.Append("<p class=\"note\">")
                .Append(range is double r
                    ? $"Range calibration: full trunk flexion (toe touch) {Html.Deg(r)}."
                    : "No range calibration (toe touch): back rounding is judged in degrees, not as a share of the wearer's range.")
                .Append("</p>\n");
        }
    }
}
