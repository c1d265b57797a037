using System;
using System.Diagnostics;
using System.Threading;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.VirtualDevice.Link;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.VirtualDevice
{
    /// <summary>The pairing window as the wearer sees it: showing (the motor plays its passkey), and the pairings it has made so far.</summary>
    public readonly record struct PairingWindowView(bool Showing, int Pairings);

    /// <summary>
    /// A running virtual device: the rig (wearer + chips + firmware core + flash) advanced on its
    /// own thread, <see cref="Speed"/> times faster than real time (0: as fast as the CPU allows),
    /// with the ATT link model pumped after every device tick.
    /// </summary>
    public sealed class VirtualDeviceHost : IDisposable
    {
        private readonly Thread _thread;
        private readonly CancellationTokenSource _stop = new();
        private volatile bool _booted;
        private Exception? _failure;

        public VirtualDeviceHost(Scenario scenario, int seed, IFileStore? flash = null, double speed = 1, AttLinkSettings? link = null)
        {
            Rig = flash is FlashModel fm ? new VirtualRig(scenario, seed, fm) : new VirtualRig(scenario, seed, files: flash);
            Link = new AttLinkModel(() => Rig.Core, Rig.Bonds, link);
            Speed = speed;
            _thread = new Thread(Run) { IsBackground = true, Name = "virtual device" };
        }

        public VirtualRig Rig { get; }
        public AttLinkModel Link { get; }

        /// <summary>Device time per wall-clock time; 0 runs as fast as possible.</summary>
        public double Speed { get; set; }

        /// <summary>Simulated (device) time, s.</summary>
        public double TimeS => Rig.TimeS;

        public bool Booted => _booted;

        /// <summary>Set when the device thread died (an exception in the firmware or the models).</summary>
        public Exception? Failure => _failure;

        public void Start() => _thread.Start();

        private void Run()
        {
            try
            {
                lock (Rig) Rig.Boot();
                _booted = true;
                var wall = Stopwatch.StartNew();
                double simStart = Rig.TimeS, wallStart = 0, pacedAt = Speed;
                while (!_stop.IsCancellationRequested)
                {
                    lock (Rig)
                    {
                        Rig.AdvanceTo(Rig.TimeS + 0.01);
                        Link.Pump(Rig.TimeUs);
                    }
                    double speed = Speed;
                    if (speed != pacedAt)
                    {
                        // A new speed paces from now on: never a burst or a stall to make up for the old one.
                        simStart = Rig.TimeS;
                        wallStart = wall.Elapsed.TotalSeconds;
                        pacedAt = speed;
                    }
                    if (speed > 0)
                    {
                        double ahead = (Rig.TimeS - simStart) / speed - (wall.Elapsed.TotalSeconds - wallStart);
                        if (ahead > 0.002) Thread.Sleep(TimeSpan.FromSeconds(ahead));
                    }
                }
            }
            catch (Exception e)
            {
                _failure = e;
                Link.Dropped?.Invoke("virtual device failed: " + e.Message);
            }
        }

        /// <summary>
        /// The wearer opens the pairing window, as the very long button press does (the gesture
        /// itself is not waited for); gives the passkey the motor then plays, as the wearer counts
        /// it, or says why no window opened.
        /// </summary>
        public bool OpenPairingWindow(out int passkey, out string whyNot)
        {
            lock (Rig)
            {
                Rig.Core.OnButton(ButtonPress.VeryLong);
                bool open = Rig.Core.Pairing.IsOpen;
                passkey = open ? Rig.Core.Pairing.Passkey : 0;
                whyNot = open ? ""
                    : Rig.Bonds.Count >= PairingWindow.MaxBonds ? "the virtual device's bond list is full: it opens no pairing window (a new virtual device starts with none)"
                    : "the virtual device did not open its pairing window";
                return open;
            }
        }

        /// <summary>The pairing window now (<see cref="VirtualRig.HoldButton"/> opens it as the wearer would).</summary>
        public PairingWindowView Pairing
        {
            get
            {
                lock (Rig) return new PairingWindowView(Rig.Core.Pairing.IsShowing, Rig.Core.Pairing.Pairings);
            }
        }

        /// <summary>Waits (wall time) until the device's clock has reached t.</summary>
        public bool WaitForDeviceTime(double t, TimeSpan timeout, CancellationToken ct = default)
        {
            var sw = Stopwatch.StartNew();
            while (Rig.TimeS < t)
            {
                if (_failure != null || sw.Elapsed > timeout || ct.IsCancellationRequested) return false;
                Thread.Sleep(2);
            }
            return true;
        }

        public void Dispose()
        {
            _stop.Cancel();
            if (_thread.IsAlive) _thread.Join(2000);
        }
    }
}
