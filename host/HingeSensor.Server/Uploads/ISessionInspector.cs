using System;

namespace HingeSensor.Server.Uploads
{
    /// <summary>
    /// Reads a whole session file (docs/session-format.md) as the host reads its own downloads:
    /// every chunk's CRC and length, the header, values that cannot be (a frame rate of 0, an angle
    /// past ±3276.7°, an alert for a fault that does not exist). `hinge server` hands the server the
    /// host's decoder, so a file the host would keep aside the server refuses, by the same code.
    /// </summary>
    public interface ISessionInspector
    {
        /// <summary>What the file holds, summed up for the views; <see cref="SessionRefusedException"/> when it does not decode.</summary>
        InspectedSession Inspect(byte[] file);
    }

    /// <summary>A session file that will not be stored; the message says what is wrong and where.</summary>
    public sealed class SessionRefusedException : Exception
    {
        public SessionRefusedException(string message, Exception? inner = null) : base(message, inner) { }
    }

    /// <summary>
    /// A decoded session, summed up once at upload so that listings and team views never decode:
    /// who recorded it and when, how long, reps and how many had a fault or reached depth, alerts per
    /// fault and their time, and the damage a device's flash left (chunks lost, kept as holes, as
    /// the host keeps them).
    /// </summary>
    public sealed record InspectedSession
    {
        public required string DeviceSerial { get; init; }
        public required string Firmware { get; init; }
        public required int Format { get; init; }
        public required int DeviceSessionId { get; init; }
        /// <summary>The recording's random identity (format 2), null in format 1.</summary>
        public long? SessionUid { get; init; }
        public required long StartUnixMs { get; init; }
        public required float FrameRateHz { get; init; }
        public required double DurationS { get; init; }
        public required bool Closed { get; init; }
        public required int Frames { get; init; }
        /// <summary>Counted reps.</summary>
        public required int Reps { get; init; }
        /// <summary>Counted reps with at least one fault.</summary>
        public required int RepsWithFault { get; init; }
        /// <summary>Counted reps that reached the depth target, of <see cref="RepsDepthKnown"/> (firmware 1.x did not say).</summary>
        public required int RepsDepthReached { get; init; }
        public required int RepsDepthKnown { get; init; }
        /// <summary>The median over the counted reps of each rep's deepest torso angle, ° (as `hinge trends` shows it); null without counted reps.</summary>
        public double? MedianDepthDeg { get; init; }
        public required int BackRoundingAlerts { get; init; }
        public required int ChinDropAlerts { get; init; }
        public required int HeadUpAlerts { get; init; }
        /// <summary>Seconds spent in an alert (any fault), added up.</summary>
        public required double AlertS { get; init; }
        public required int Holes { get; init; }
        public required int DamagedBytes { get; init; }
        /// <summary>Each hole said as the host says it ("166 damaged bytes at byte 2048 (chunk 12 lost)").</summary>
        public required string[] HoleDescriptions { get; init; }
    }
}
