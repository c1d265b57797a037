namespace HingeSensor.Algorithms.Alignment
{
    /// <summary>What happened to a fault. Numeric values go on the wire: never renumber.</summary>
    public enum AlignmentEventKind
    {
        /// <summary>The fault has held for the persistence window: buzz.</summary>
        Started = 1,

        /// <summary>The fault is still there after the reminder interval: buzz again.</summary>
        Reminder = 2,

        /// <summary>The wearer is back in line.</summary>
        Corrected = 3,

        /// <summary>The fault stopped being watched while still present (hinge over, sensor lost).</summary>
        Ended = 4,
    }

    /// <summary>One alignment event.</summary>
    /// <remarks>A class copied field by field into objects the reader owns (<see cref="AlignmentEventQueue.TryDequeue"/>):
    /// on the nanoFramework interpreter every struct copy is a heap allocation.</remarks>
    public sealed class AlignmentEvent
    {
        public AlignmentEventKind Kind;
        public Fault Fault;

        /// <summary>When the event was raised, seconds.</summary>
        public float TimeS;

        /// <summary>When the metric first crossed the threshold for this episode, seconds.</summary>
        public float OnsetS;

        /// <summary>When the alert was raised (Started), seconds; equals TimeS for Started.</summary>
        public float AlertS;

        /// <summary>Worst value of the metric in this episode so far, degrees (over neutral, sign as the fault: ChinDrop +, HeadUp as extension +).</summary>
        public float PeakDeg;

        public void CopyFrom(AlignmentEvent o)
        {
            Kind = o.Kind;
            Fault = o.Fault;
            TimeS = o.TimeS;
            OnsetS = o.OnsetS;
            AlertS = o.AlertS;
            PeakDeg = o.PeakDeg;
        }
    }
}
