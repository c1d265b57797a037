using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace HingeSensor.TestSupport
{
    /// <summary>
    /// Ports for a server a test stops and starts again on the same address (a device killed and
    /// switched on again, found again by the host at the address it knows). Port 0 would do for the
    /// first start, but the port it gives lies in the kernel's ephemeral range: once the server is
    /// gone, any client's source port or another test's port-0 listener may be handed it before the
    /// restart. A port below that range is only ever taken by an explicit bind, so it stays free.
    /// </summary>
    public static class LoopbackPorts
    {
        /// <summary>A port free now on 127.0.0.1, below the ephemeral range, picked at random (other test runs share the machine).</summary>
        public static int OutsideEphemeralRange()
        {
            int low = EphemeralRangeStart();
            int from = Math.Max(1024, low - 12000);
            var random = new Random();
            for (int attempt = 0; attempt < 200; attempt++)
            {
                int port = random.Next(from, low);
                if (IsFree(port)) return port;
            }
            throw new InvalidOperationException($"no free loopback port in {from}..{low - 1}");
        }

        /// <summary>True when a listener can bind 127.0.0.1:<paramref name="port"/> now.</summary>
        public static bool IsFree(int port)
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            try
            {
                probe.Start();
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
            finally
            {
                probe.Stop();
            }
        }

        /// <summary>
        /// Waits until the port can be bound again (a killed process's socket is released by the
        /// kernel, not at once by the kill); the timeout only bounds a failure.
        /// </summary>
        public static async Task WaitUntilFreeAsync(int port, TimeSpan timeout)
        {
            var patience = Stopwatch.StartNew();
            while (!IsFree(port))
            {
                if (patience.Elapsed > timeout) throw new TimeoutException($"127.0.0.1:{port} was still taken after {timeout.TotalSeconds:0} s");
                await Task.Delay(20);
            }
        }

        private static int EphemeralRangeStart()
        {
            const string range = "/proc/sys/net/ipv4/ip_local_port_range";
            if (File.Exists(range) && int.TryParse(File.ReadAllText(range).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)[0], out int low) && low > 2048)
                return low;
            return 32768; // Linux's default
        }
    }
}
