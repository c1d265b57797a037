using System;
using System.Text;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>
    /// Where the system D-Bus is. An explicit address wins (tests point the transport at a private bus
    /// without touching process-wide state), then DBUS_SYSTEM_BUS_ADDRESS, then the well-known socket.
    /// </summary>
    internal static class SystemBusAddress
    {
        public const string EnvironmentVariable = "DBUS_SYSTEM_BUS_ADDRESS";
        public const string Default = "unix:path=/run/dbus/system_bus_socket";

        public static string Resolve(string? explicitAddress)
        {
            if (!string.IsNullOrWhiteSpace(explicitAddress))
            {
                return explicitAddress;
            }
            string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return string.IsNullOrWhiteSpace(fromEnvironment) ? Default : fromEnvironment;
        }

        /// <summary>
        /// The socket file of a single "unix:path=…" address, or null when the address is anything else
        /// (abstract sockets, tcp, several alternatives): then there is nothing to check before connecting.
        /// Checking the file first is what lets us say "no system D-Bus at /run/dbus/…" instead of a raw
        /// socket error.
        /// </summary>
        public static string? SocketPath(string address)
        {
            string trimmed = address.Trim();
            if (trimmed.Contains(';') || !trimmed.StartsWith("unix:", StringComparison.Ordinal))
            {
                return null;
            }
            foreach (string pair in trimmed.Substring("unix:".Length).Split(','))
            {
                if (pair.StartsWith("path=", StringComparison.Ordinal))
                {
                    return Unescape(pair.Substring("path=".Length));
                }
            }
            return null;
        }

        /// <summary>D-Bus addresses escape bytes outside [-0-9A-Za-z_/.\*] as %XX.</summary>
        private static string Unescape(string value)
        {
            if (!value.Contains('%'))
            {
                return value;
            }
            var bytes = new System.Collections.Generic.List<byte>(value.Length);
            for (int i = 0; i < value.Length; i++)
            {
                if (value[i] == '%' && i + 2 < value.Length)
                {
                    bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
                }
            }
            return Encoding.UTF8.GetString(bytes.ToArray());
        }
    }
}
