using HingeSensor.Protocol;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>Changing the config in force: what the control point asks of <see cref="Configuration"/>.</summary>
    public interface IConfiguration
    {
        /// <summary>
        /// Validates a config record (docs/protocol.md) and puts it in force and on flash:
        /// Success; InvalidParameter with the first wrong field in <paramref name="bad"/> (nothing
        /// changed); InternalError when it is in force but could not be saved.
        /// </summary>
        ResultCode Write(byte[] record, int offset, int count, out ConfigField bad);

        /// <summary>Puts the defaults in force and on flash: Success, or InternalError when not saved.</summary>
        ResultCode Reset();
    }
}
