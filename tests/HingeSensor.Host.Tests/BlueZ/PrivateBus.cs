using HingeSensor.TestSupport;
using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace HingeSensor.Host.Tests.BlueZ
{
    /// <summary>
    /// A dbus-daemon of our own, listening on a socket in a temp directory, with a policy that lets
    /// anyone own any name and send anything: the system bus's rules are not what these tests are about.
    /// The daemon dies with the test (Dispose) and never touches the machine's real buses.
    /// </summary>
    public sealed class PrivateBus : IDisposable
    {
        public const string DaemonPath = "/usr/bin/dbus-daemon";

        private readonly TempDir _dir = new();
        private readonly Process _daemon;

        public PrivateBus()
        {
            string socket = _dir.File("bus");
            string config = _dir.File("bus.conf");
            File.WriteAllText(config, $"""
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>custom</type>
                  <listen>unix:path={socket}</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/>
                    <allow own="*"/>
                    <allow send_destination="*"/>
                    <allow receive_sender="*"/>
                  </policy>
                </busconfig>
                """);
            var start = new ProcessStartInfo(DaemonPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("--config-file=" + config);
            start.ArgumentList.Add("--print-address");
            start.ArgumentList.Add("--nofork");
            _daemon = Process.Start(start) ?? throw new InvalidOperationException("dbus-daemon did not start");
            // stderr carries harmless complaints (fd limits when not root); drain it so it never blocks the daemon.
            _daemon.ErrorDataReceived += (_, _) => { };
            _daemon.BeginErrorReadLine();
            // The address is printed once the socket is listening: reading it is the readiness check.
            Task<string?> line = _daemon.StandardOutput.ReadLineAsync();
            if (!line.Wait(TimeSpan.FromSeconds(5)) || string.IsNullOrWhiteSpace(line.Result))
            {
                Dispose();
                throw new InvalidOperationException("dbus-daemon did not print its address within 5 s");
            }
            Address = line.Result.Trim();
            SocketPath = socket;
        }

        public static bool IsAvailable => File.Exists(DaemonPath);

        /// <summary>Skips the calling test, saying why, where dbus-daemon is not installed.</summary>
        public static void SkipIfUnavailable()
        {
            string why = $"{DaemonPath} is not installed (apt-get install dbus-daemon): the BlueZ transport is tested against a fake BlueZ on a private bus";
            // CI installs it and sets HINGESENSOR_CI=1: there a missing daemon is a failure, not a quiet skip.
            if (!IsAvailable && Environment.GetEnvironmentVariable("HINGESENSOR_CI") == "1") throw new InvalidOperationException(why);
            Skip.IfNot(IsAvailable, why);
        }

        /// <summary>"unix:path=/tmp/…/bus,guid=…"</summary>
        public string Address { get; }

        public string SocketPath { get; } = "";

        public void Dispose()
        {
            try
            {
                if (!_daemon.HasExited)
                {
                    _daemon.Kill(entireProcessTree: true);
                    _daemon.WaitForExit(2000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            _daemon.Dispose();
            _dir.Dispose();
        }
    }
}
