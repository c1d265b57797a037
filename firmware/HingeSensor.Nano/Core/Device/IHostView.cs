namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// What a host sees of the device, told by the parts that just changed it: a host reads the
    /// status and config right after its requests and must see their effect, not the
    /// once-a-second snapshot from before them.
    /// </summary>
    public interface IHostView
    {
        /// <summary>Refreshes what reads return (status, config, battery) now.</summary>
        void Refresh();

        /// <summary>Notifies a subscribed host of the status if what people see of it changed.</summary>
        void NotifyStatusIfChanged();

        /// <summary>Notifies the connected host of the config (after a write or a reset).</summary>
        void NotifyConfig();
    }
}
