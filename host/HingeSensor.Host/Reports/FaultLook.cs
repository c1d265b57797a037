using HingeSensor.Algorithms.Alignment;

namespace HingeSensor.Host.Reports
{
    /// <summary>How a fault is named and coloured in reports, the same in the plots and in the tables.</summary>
    public static class FaultLook
    {
        public static readonly string BackRounding = Faults.Name(Fault.BackRounding);
        public static readonly string ChinDrop = Faults.Name(Fault.ChinDrop);
        public static readonly string HeadUp = Faults.Name(Fault.HeadUp);

        /// <summary>"back_rounding" → "back rounding"; a name this build does not know is shown as stored.</summary>
        public static string Label(string fault) => fault.Replace('_', ' ');

        /// <summary>A colour per fault (hex), distinct from the blue of the angle traces.</summary>
        public static string Colour(string fault) =>
            fault == BackRounding ? "#d62728"
            : fault == ChinDrop ? "#9467bd"
            : fault == HeadUp ? "#e377c2"
            : "#7f7f7f";
    }
}
