using System.Collections.Generic;

namespace HingeSensor.DevTools.Evaluation.PublicRecordings
{
    /// <summary>
    /// A recording somebody else made, converted to our raw format (docs/raw-csv.md) so that the
    /// product reads it through the same path as any user's recording (`hinge analyze`). The labels
    /// are the recording authors' and are only ever read by the evaluation, never by the product.
    /// </summary>
    public sealed record PublicRecording(string Dataset, string Name, string RawCsvPath, double DurationS, string SensorMapping)
    {
        /// <summary>What the authors say the wearer did, in time order (empty when they did not label it).</summary>
        public List<LabeledSpan> Labels { get; init; } = new();

        /// <summary>What the authors say of the whole recording (e.g. "seated on a stool").</summary>
        public string Setting { get; init; } = "";
    }

    /// <summary>The authors' label from <see cref="StartS"/> to <see cref="EndS"/> (seconds from the recording's start).</summary>
    public sealed record LabeledSpan(string Label, double StartS, double EndS);
}
