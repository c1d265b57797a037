using System.IO;
using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Host.Reports;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Storage;
using HingeSensor.Server.Uploads;

namespace HingeSensor.Host.TeamServer
{
    /// <summary>
    /// What `hinge server` checks uploads with: the decoder and alert pairing of the host's own log
    /// (<see cref="DecodedSession"/>, <see cref="SessionDatabase.AlertsFromEvents"/>). A file the
    /// host would keep aside (quarantine) the server refuses with the same reason; a damaged chunk
    /// the host keeps as a hole the server keeps too, and says so.
    /// </summary>
    public sealed class HostSessionInspector : ISessionInspector
    {
        public InspectedSession Inspect(byte[] file)
        {
            DecodedSession d;
            try { d = DecodedSession.Decode(file, file.Length); }
            catch (InvalidDataException e) { throw new SessionRefusedException(e.Message, e); }
            var alerts = SessionDatabase.AlertsFromEvents(d.Events, d.DurationS);
            Rep[] counted = d.Reps.Where(r => r.Counted).ToArray();
            Rep[] depthKnown = counted.Where(r => r.Pattern != RepPattern.Unknown).ToArray();
            return new InspectedSession
            {
                DeviceSerial = d.Header.DeviceSerial,
                Firmware = $"{d.Header.FirmwareMajor}.{d.Header.FirmwareMinor}.{d.Header.FirmwarePatch}",
                Format = d.Header.FormatVersion,
                DeviceSessionId = d.Header.SessionId,
                SessionUid = d.Header.SessionUid != 0 ? d.Header.SessionUid : null,
                StartUnixMs = d.Header.StartUnixMs,
                FrameRateHz = d.Header.FrameRateHz,
                DurationS = d.DurationS,
                Closed = d.Closed,
                Frames = d.Frames.Count,
                Reps = counted.Length,
                RepsWithFault = counted.Count(r => r.FaultMask != 0),
                RepsDepthReached = depthKnown.Count(r => r.DepthReached),
                RepsDepthKnown = depthKnown.Length,
                MedianDepthDeg = MedianDepth(counted),
                BackRoundingAlerts = alerts.Count(a => a.Fault == Faults.Name(Fault.BackRounding)),
                ChinDropAlerts = alerts.Count(a => a.Fault == Faults.Name(Fault.ChinDrop)),
                HeadUpAlerts = alerts.Count(a => a.Fault == Faults.Name(Fault.HeadUp)),
                AlertS = alerts.Sum(a => a.EndS - a.StartS),
                Holes = d.Holes.Count,
                DamagedBytes = d.Holes.Sum(h => h.Length),
                HoleDescriptions = d.Holes.Select(h => h.ToString()).ToArray(),
            };
        }

        // The depth `hinge trends` shows for a session (SessionTrend), from the same reps.
        private static double? MedianDepth(Rep[] counted)
        {
            double median = SessionTrend.Median(counted.Select(r => (double)r.DepthDeg));
            return double.IsFinite(median) ? median : null;
        }
    }
}
