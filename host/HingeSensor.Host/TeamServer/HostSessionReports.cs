using System.Collections.Generic;
using System.IO;
using System.Linq;
using HingeSensor.Host.Reports;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Storage;
using HingeSensor.Server.Uploads;
using HingeSensor.Server.Views;

namespace HingeSensor.Host.TeamServer
{
    /// <summary>
    /// What `hinge server` draws coach views with: the report code of `hinge report` and `hinge trends`.
    /// A session's page goes the way a download does on the wearer's computer — the file stored
    /// in a log (in memory, thrown away after), read back, rendered by <see cref="SessionReportPage"/> —
    /// so the coach's page is the wearer's, with the server's session number.
    /// </summary>
    public sealed class HostSessionReports : ISessionReports
    {
        public string SessionPage(byte[] file, long sessionId)
        {
            DecodedSession d;
            try { d = DecodedSession.Decode(file, file.Length); }
            catch (InvalidDataException e) { throw new SessionRefusedException(e.Message, e); }
            using var log = new SessionDatabase(":memory:");
            (long id, _) = log.ImportDeviceSession(new DeviceIdentityInfo(d.Header.DeviceSerial, null, null, null,
                $"{d.Header.FirmwareMajor}.{d.Header.FirmwareMinor}.{d.Header.FirmwarePatch}"), file);
            StoredSession s = log.GetSession(id)!;
            return SessionReportPage.Render(s with { Summary = s.Summary with { Id = sessionId } });
        }

        public IReadOnlyList<TrendFigure> TrendFigures(IReadOnlyList<TrendPoint> sessions) =>
            TrendPlots.Render(sessions.Select(p => new SessionTrend(p.SessionId, p.Device, p.StartUnixMs, p.DurationS, p.Reps, p.RepsWithFault, p.Alerts,
                    p.MedianDepthDeg ?? double.NaN) { DepthReachedShare = p.DepthShare ?? double.NaN }).ToList())
                .Select(f => new TrendFigure(f.Id, f.Title, f.Width, f.Height, f.Png)).ToList();
    }
}
