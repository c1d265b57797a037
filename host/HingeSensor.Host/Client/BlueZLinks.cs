using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Link;

namespace HingeSensor.Host.Client
{
    /// <summary>Opens a BlueZ link to a device by name or address (the BlueZ transport lives in Link/BlueZ).</summary>
    public static class BlueZLinks
    {
        public static Task<IDeviceLink> OpenAsync(string? nameOrAddress, CancellationToken ct) =>
            throw new LinkUnavailableException("this build of hinge has no BlueZ transport yet; use --virtual or --device tcp://127.0.0.1:PORT");

        public static Task<System.Collections.Generic.IReadOnlyList<DeviceAdvertisement>> ScanAsync(System.TimeSpan duration, CancellationToken ct) =>
            throw new LinkUnavailableException("this build of hinge has no BlueZ transport yet; use --virtual or --device tcp://127.0.0.1:PORT");
    }
}
