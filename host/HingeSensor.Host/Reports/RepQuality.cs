using System.Collections.Generic;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// A rep in one line, as a coach would sum it up: "good" when the dowel line held, the torso got
    /// down by the hips, reached the depth and the wearer finished tall; otherwise what to work on,
    /// the back first (it matters most), then the pattern, the depth and the finish.
    /// </summary>
    public static class RepQuality
    {
        public static string Summary(StoredRep r)
        {
            var notes = new List<string>();
            foreach (string f in r.Faults)
                notes.Add(f switch { "back_rounding" => "back rounded", "chin_drop" => "chin dropped", "head_up" => "head cranked up", _ => f });
            if (r.Pattern == "squat") notes.Add("squatted: hips back");
            else if (r.Pattern == "stoop") notes.Add("stooped: hinge from the hips");
            if (r.DepthReached == false) notes.Add("short of the depth");
            if (r.Lockout == "incomplete") notes.Add("finish tall");
            else if (r.Lockout == "over_extension") notes.Add("don't lean back");
            if (notes.Count > 0) return string.Join("; ", notes);
            return r.Pattern == "unknown" ? (r.Faults.Count == 0 ? "line held" : "") : "good";
        }
    }
}
