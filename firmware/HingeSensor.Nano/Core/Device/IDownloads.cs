using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>Starting and stopping a session download: what the control point asks of <see cref="DownloadPump"/>.</summary>
    public interface IDownloads
    {
        /// <summary>Starts streaming session <paramref name="id"/> from <paramref name="offset"/>: Accepted, NotFound or InvalidParameter.</summary>
        ResultCode Start(int id, int offset);

        void Abort();

        /// <summary>The session being sent, 0 when none.</summary>
        int SessionId { get; }
    }
}
