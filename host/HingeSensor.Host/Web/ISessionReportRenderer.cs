using System;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Web
{
    /// <summary>Turns a stored session into the page /sessions/{id} serves: a whole, self-contained HTML document.</summary>
    public interface ISessionReportRenderer
    {
        string Render(StoredSession session);
    }

    /// <summary>A renderer that is one function, such as a static Render(StoredSession) method.</summary>
    public sealed class FunctionReportRenderer : ISessionReportRenderer
    {
        private readonly Func<StoredSession, string> _render;

        public FunctionReportRenderer(Func<StoredSession, string> render) => _render = render;

        public string Render(StoredSession session) => _render(session);
    }

    /// <summary>The report the dashboard serves unless told otherwise: the same page `hinge report` writes.</summary>
    public static class SessionReports
    {
        public static ISessionReportRenderer Default { get; } = new FunctionReportRenderer(s => Reports.SessionReportPage.Render(s));
    }
}
