using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>Starting and stopping a recording: what the control point and the button ask of <see cref="Recording"/>.</summary>
    public interface IRecordingControl
    {
        /// <summary>Starts a session: Success, InvalidState (one is running), StorageFull or InternalError.</summary>
        ResultCode Start();

        /// <summary>Stops the session running; false when none is.</summary>
        bool Stop();

        /// <summary>The session being recorded, 0 when none.</summary>
        int SessionId { get; }
    }
}
