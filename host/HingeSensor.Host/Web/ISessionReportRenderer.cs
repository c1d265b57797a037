using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Web
{
    /// <summary>Turns a stored session into the page /sessions/{id} serves: a whole, self-contained HTML document.</summary>
    public interface ISessionReportRenderer
    {
        string Render(StoredSession session);
    }

    /// <summary>The report the dashboard serves unless told otherwise.</summary>
    public static class SessionReports
    {
        public static ISessionReportRenderer Default { get; } = new SummaryReportRenderer();
    }
}
