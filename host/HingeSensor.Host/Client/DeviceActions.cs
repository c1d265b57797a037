using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Host.Live;

namespace HingeSensor.Host.Client
{
    /// <summary>A calibration capture as a person reads it: the device's outcome and a sentence.</summary>
    public sealed record CalibrationResult(string StepName, CalibrationOutcome Outcome, string Message)
    {
        public bool Ok => Outcome.Status == CalibrationStatus.Ok;
    }

    /// <summary>A start/stop recording request as a person reads it: the device's answer, the session it concerns, a sentence.</summary>
    public sealed record RecordingResult(string Verb, ResultCode Result, int? SessionId, string Message)
    {
        public bool Ok => Result == ResultCode.Success;
    }

    /// <summary>
    /// The device commands a person starts by hand — calibrate, start and stop recording — in one
    /// place, so that the CLI (`hinge calibrate`, `hinge record`) and the dashboard's buttons send
    /// the same requests and say the same things about the answers.
    /// </summary>
    public static class DeviceActions
    {
        /// <summary>A movement capture may wait up to 15 s for the wearer to start; this leaves room for the capture itself.</summary>
        public static readonly TimeSpan CalibrationTimeout = TimeSpan.FromSeconds(40);

        public static string StepName(CalibrationStep step) => step switch
        {
            CalibrationStep.Neutral => "neutral",
            CalibrationStep.Hinge => "hinge",
            CalibrationStep.Range => "range",
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a calibration step a person starts"),
        };

        /// <summary>The step named by <see cref="StepName"/>, or null.</summary>
        public static CalibrationStep? ParseStep(string name) => name switch
        {
            "neutral" => CalibrationStep.Neutral,
            "hinge" => CalibrationStep.Hinge,
            "range" => CalibrationStep.Range,
            _ => null,
        };

        /// <summary>What the wearer does during the capture.</summary>
        public static string Instruction(CalibrationStep step) => step switch
        {
            CalibrationStep.Neutral => "Stand still and tall for 3 s.",
            CalibrationStep.Hinge => "A slow hinge with a straight back, down and up.",
            CalibrationStep.Range => "A full toe touch, down and up (optional: thresholds as % of your range).",
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a calibration step a person starts"),
        };

        /// <summary>Runs a capture and waits for the device's verdict; <paramref name="accepted"/> runs once the device has begun it.</summary>
        public static async Task<CalibrationResult> CalibrateAsync(DeviceClient client, CalibrationStep step, CancellationToken ct, Action? accepted = null)
        {
            string name = StepName(step);
            CalibrationOutcome r = await client.CalibrateAsync(step, CalibrationTimeout, ct, accepted);
            string message = r.Status == CalibrationStatus.Ok
                ? $"{name} calibration ok (quality head {r.Quality[0]:0.00}, upper back {r.Quality[1]:0.00}, sacrum {r.Quality[2]:0.00})"
                : $"{name} calibration failed: {CalibrationStatusText.Describe(r.Status)}{(r.FailedSegment >= 0 ? $" ({LiveState.SegmentName(r.FailedSegment)} sensor)" : "")}";
            return new CalibrationResult(name, r, message);
        }

        public static Task<RecordingResult> StartRecordingAsync(DeviceClient client, CancellationToken ct) => RecordAsync(client, Opcode.StartRecording, "start", ct);

        public static Task<RecordingResult> StopRecordingAsync(DeviceClient client, CancellationToken ct) => RecordAsync(client, Opcode.StopRecording, "stop", ct);

        private static async Task<RecordingResult> RecordAsync(DeviceClient client, Opcode op, string verb, CancellationToken ct)
        {
            ControlResponse r = await client.RequestAsync(op, null, ct);
            int? session = r.Payload.Length >= 2 ? r.Payload[0] | (r.Payload[1] << 8) : null;
            string message = r.Result != ResultCode.Success ? DeviceRefusal.Describe(op, r.Result)
                : verb == "start" ? $"recording session {session}" : "recording stopped";
            return new RecordingResult(verb, r.Result, session, message);
        }
    }
}
