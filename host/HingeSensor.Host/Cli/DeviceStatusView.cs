using System;
using System.Collections.Generic;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// The device's status record in words (for `hinge device status`): what a wearer checks before
    /// a session — battery, sensors, calibration, storage — and the health counters that explain
    /// gaps and slow answers.
    /// </summary>
    internal static class DeviceStatusView
    {
        public static IReadOnlyList<(string Key, string Label, object Value, string Text)> Rows(DeviceStatus s)
        {
            string Sensor(int i) => s.Sensors[i] switch
            {
                SensorState.Ok => "ok",
                SensorState.Retrying => "not answering (retrying)",
                SensorState.Absent => "not found since boot",
                SensorState.Starting => "starting",
                _ => $"unknown state {(int)s.Sensors[i]}",
            };
            bool neutral = (s.CalibrationFlags & DeviceStatus.CalNeutral) != 0;
            bool hinge = (s.CalibrationFlags & DeviceStatus.CalHinge) != 0;
            bool range = (s.CalibrationFlags & DeviceStatus.CalRange) != 0;
            string calibration = !neutral ? "not calibrated (hinge calibrate neutral, then hinge)"
                : !hinge ? "neutral only (hinge calibrate hinge)"
                : range ? "neutral, hinge and range" : "neutral and hinge";
            string recording = s.Recording switch
            {
                RecordingState.Recording => $"recording session {s.SessionId}",
                RecordingState.StoppedStorageFull => "stopped: storage full of sessions not downloaded (hinge device download)",
                _ => "idle",
            };
            var flags = new List<string>();
            if ((s.Flags & DeviceStatus.FlagConfigReset) != 0) flags.Add("config was unreadable: defaults in force");
            if ((s.Flags & DeviceStatus.FlagStorageRecovered) != 0) flags.Add("torn sessions were cut at the last boot");
            if ((s.Flags & DeviceStatus.FlagRecordRefused) != 0) flags.Add("a damaged record was refused at the last boot (calibration: calibrate again; ids and digests were recomputed)");
            if ((s.Flags & DeviceStatus.FlagQuiet) != 0) flags.Add("quiet (no buzz)");
            if ((s.Flags & DeviceStatus.FlagTimeSet) == 0) flags.Add("clock not set");
            return new (string, string, object, string)[]
            {
                ("battery_percent", "battery", s.BatteryPercent, $"{s.BatteryPercent} % ({s.BatteryMillivolts} mV{(s.Charging ? ", charging" : "")})"),
                ("battery_mv", "", s.BatteryMillivolts, ""),
                ("charging", "", s.Charging, ""),
                ("head_sensor", "head sensor", Sensor(0), Sensor(0)),
                ("upper_back_sensor", "upper-back sensor", Sensor(1), Sensor(1)),
                ("sacrum_sensor", "sacrum sensor", Sensor(2), Sensor(2)),
                ("calibration", "calibration", calibration, s.Capturing != 0 ? $"{calibration}; capturing the {(s.Capturing is >= 1 and <= 3 ? DeviceActions.StepName((HingeSensor.Algorithms.Calibration.CalibrationStep)s.Capturing) : "step " + s.Capturing)} now" : calibration),
                ("recording", "recording", recording, recording),
                ("storage_used_kb", "storage", s.StorageUsedKb, $"{s.StorageUsedKb} of {s.StorageTotalKb} KiB used, {s.UndownloadedSessions} session(s) not downloaded"),
                ("storage_total_kb", "", s.StorageTotalKb, ""),
                ("undownloaded_sessions", "", s.UndownloadedSessions, ""),
                ("flags", "notes", flags, flags.Count == 0 ? "—" : string.Join("; ", flags)),
                ("uptime_s", "uptime", s.UptimeS, TimeSpan.FromSeconds(s.UptimeS).ToString(@"d\.hh\:mm\:ss")),
                ("fifo_overflows", "sensor FIFO overflows", s.FifoOverflows, s.FifoOverflows.ToString()),
                ("live_packets_dropped", "live packets dropped", s.LiveDropped, s.LiveDropped.ToString()),
                ("loop_overruns", "main-loop overruns", s.LoopOverruns, s.LoopOverruns.ToString()),
                ("control_messages_lost", "answers/events lost", s.ControlLost, s.ControlLost.ToString()),
            };
        }
    }
}
