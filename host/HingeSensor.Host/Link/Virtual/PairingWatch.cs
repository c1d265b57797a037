using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.Host.Link.Virtual
{
    /// <summary>
    /// Says what the virtual wearer feels of the pairing window: it opening, with the passkey the
    /// motor buzzes (read back from the motor as the wearer counts it, so what the firmware plays
    /// must be countable), and how it closed. `hinge virtual-device` prints these lines, `hinge
    /// serve --virtual` prints them and puts them in the dashboard's log.
    /// </summary>
    public static class PairingWatch
    {
        /// <summary>The line's words before the passkey, "3 1 4 2 5 2" (scripts and tests read the digits after it).</summary>
        public const string PasskeyLine = "pairing window open for 60 s: the motor buzzes the passkey ";

        /// <summary>Watches until <paramref name="ct"/> is cancelled, handing each line to <paramref name="say"/>.</summary>
        public static async Task RunAsync(VirtualDeviceHost host, Action<string> say, CancellationToken ct)
        {
            bool showing = false, told = false;
            double openedS = 0;
            int pairings = 0;
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    await Task.Delay(50, ct);
                    string? line = null;
                    lock (host.Rig)
                    {
                        PairingWindowView w = host.Pairing;
                        if (!showing && w.Showing)
                        {
                            showing = true;
                            told = false;
                            openedS = host.Rig.TimeS;
                            pairings = w.Pairings;
                        }
                        if (showing && !told && PasskeyReader.Read(host.Rig.Motor, openedS - 0.1) is string passkey)
                        {
                            told = true;
                            line = PasskeyLine + string.Join(' ', passkey.ToCharArray());
                        }
                        else if (showing && !w.Showing)
                        {
                            showing = false;
                            line = w.Pairings > pairings ? "pairing window closed: paired" : "pairing window closed without a pairing";
                        }
                    }
                    if (line != null) say(line);
                }
            }
            catch (OperationCanceledException) { }
        }
    }
}
