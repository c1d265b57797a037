using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Link;
using HingeSensor.Host.Link.BlueZ;

namespace HingeSensor.Host.Client
{
    /// <summary>
    /// Picks a HingeSensor over BlueZ for a device command: an address is used as it is; a name
    /// (or nothing) means a short scan and the one device that matches.
    /// </summary>
    public static partial class BlueZLinks
    {
        public static readonly TimeSpan ScanTime = TimeSpan.FromSeconds(5);

        [GeneratedRegex("^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$")]
        private static partial Regex Address();

        public static Task<IReadOnlyList<DeviceAdvertisement>> ScanAsync(TimeSpan duration, CancellationToken ct) =>
            new BlueZScanner().ScanAsync(duration, ct);

        public static async Task<IDeviceLink> OpenAsync(string? nameOrAddress, CancellationToken ct)
        {
            if (nameOrAddress != null && IsAddress(nameOrAddress)) return new BlueZDeviceLink(nameOrAddress.ToUpperInvariant());
            var scanner = new BlueZScanner();
            return scanner.Open(await FindAsync(scanner, nameOrAddress, ct));
        }

        public static bool IsAddress(string s) => Address().IsMatch(s);

        /// <summary>The one HingeSensor in range with that name (or the only one, given none), by a short scan.</summary>
        public static async Task<DeviceAdvertisement> FindAsync(BlueZScanner scanner, string? name, CancellationToken ct)
        {
            IReadOnlyList<DeviceAdvertisement> found = await scanner.ScanAsync(ScanTime, ct);
            var matches = found.Where(a => name == null || string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 1) return matches[0];
            if (matches.Count == 0)
                throw new LinkUnavailableException(name == null
                    ? "no HingeSensor found over Bluetooth: is it switched on and in range? (--virtual runs the virtual device)"
                    : $"no HingeSensor named '{name}' found (`hinge scan` lists those in range)");
            // Two devices in range and nothing to choose between them: guessing would talk to someone else's.
            throw new LinkUnavailableException($"{matches.Count} HingeSensors in range ({string.Join(", ", matches.Select(m => $"{m.Name} {m.Address}"))}): choose one with --device NAME|ADDRESS");
        }
    }
}
