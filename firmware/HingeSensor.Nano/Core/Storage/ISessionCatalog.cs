using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Storage
{
    /// <summary>The stored sessions as the control point lists, marks and erases them (<see cref="SessionStore"/>).</summary>
    public interface ISessionCatalog
    {
        int Count { get; }

        /// <summary>The i-th session, oldest first.</summary>
        SessionInfo At(int i);

        /// <summary>The host holds session <paramref name="id"/>, whose digest tag is at tag[offset ..].</summary>
        ResultCode MarkDownloaded(int id, byte[] tag, int offset);

        /// <summary>Erases a session: without force only one marked downloaded, named by its digest tag.</summary>
        ResultCode Erase(int id, bool force, byte[] tag, int offset);
    }
}
