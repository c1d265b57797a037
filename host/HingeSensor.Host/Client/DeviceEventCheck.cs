using System;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Protocol;

namespace HingeSensor.Host.Client
{
    /// <summary>
    /// An event's payload against docs/protocol.md §7: its length, and each field a number the
    /// protocol gives a meaning. An event that is not one is counted and dropped, never shown:
    /// read anyway, an alignment event for fault 9 was announced "ALERT none", a sensor 200 was
    /// the sacrum.
    /// </summary>
    internal static class DeviceEventCheck
    {
        /// <summary>Payload bytes of each event (§7).</summary>
        public static int PayloadLength(DeviceEvent kind) => kind switch
        {
            DeviceEvent.CalibrationDone => 8,
            DeviceEvent.DownloadDone => 6 + SessionFormat.DigestTagBytes,
            DeviceEvent.RecordingStopped => 3,
            DeviceEvent.SensorHealth => 2,
            DeviceEvent.Alignment => 8,
            DeviceEvent.DownloadFailed => 7,
            DeviceEvent.Cue => 8,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        /// <summary>Null when <paramref name="p"/> is a payload of <paramref name="kind"/>; otherwise what is wrong, and whether it is only too short.</summary>
        public static string? Problem(DeviceEvent kind, byte[] p, out bool tooShort)
        {
            int length = PayloadLength(kind);
            tooShort = p.Length < length;
            if (p.Length != length) return $"{kind} event of {p.Length} bytes (it has {length})";
            return kind switch
            {
                DeviceEvent.CalibrationDone when p[0] is < (byte)CalibrationStep.Neutral or > (byte)CalibrationStep.Range => $"CalibrationDone for step {p[0]}",
                DeviceEvent.CalibrationDone when !Enum.IsDefined(typeof(CalibrationStatus), (int)p[1]) => $"CalibrationDone with status {p[1]}",
                DeviceEvent.CalibrationDone when p[2] is > 2 and < 0xFF => $"CalibrationDone naming sensor {p[2]}",
                DeviceEvent.RecordingStopped when p[2] is < 1 or > 3 => $"RecordingStopped for reason {p[2]}",
                DeviceEvent.SensorHealth when p[0] > 2 || !Enum.IsDefined(typeof(SensorState), (int)p[1]) => $"SensorHealth of sensor {p[0]} in state {p[1]}",
                DeviceEvent.Alignment when !Enum.IsDefined(typeof(AlignmentEventKind), (int)p[0]) || p[1] is < (byte)Fault.BackRounding or > (byte)Fault.HeadUp => $"Alignment event {p[0]} for fault {p[1]}",
                DeviceEvent.DownloadFailed when !Enum.IsDefined(typeof(ResultCode), (int)p[6]) => $"DownloadFailed with result {p[6]}",
                DeviceEvent.Cue when p[0] is < 1 or >= CoachingCues.Count => $"Cue {p[0]}",
                _ => null,
            };
        }
    }
}
