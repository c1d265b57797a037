using System.Collections.Generic;

namespace HingeSensor.Server.Views
{
    /// <summary>
    /// The host's report code, handed to the server by `hinge server` as the session decoder is
    /// (<see cref="Uploads.ISessionInspector"/>): the server references only the protocol, and a
    /// coach sees a session's report and a person's trend figures drawn by the very code behind
    /// `hinge report` and `hinge trends`.
    /// </summary>
    public interface ISessionReports
    {
        /// <summary>
        /// The whole, self-contained HTML page `hinge report` writes for this session file, titled
        /// with the server's session id; <see cref="Uploads.SessionRefusedException"/> when the file does not decode.
        /// </summary>
        string SessionPage(byte[] file, long sessionId);

        /// <summary>The figures of `hinge trends` for these sessions, in the order given.</summary>
        IReadOnlyList<TrendFigure> TrendFigures(IReadOnlyList<TrendPoint> sessions);
    }

    /// <summary>One session as a trend sees it, from the summaries stored at upload (no file is read).</summary>
    public sealed record TrendPoint(long SessionId, string Device, long StartUnixMs, double DurationS, int Reps, int RepsWithFault, int Alerts,
        double? MedianDepthDeg, double? DepthShare);

    /// <summary>A figure as a PNG, with the element id and size the host gives it.</summary>
    public sealed record TrendFigure(string Id, string Title, int Width, int Height, byte[] Png);
}
