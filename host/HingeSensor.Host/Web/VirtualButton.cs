using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Link.Virtual;
using HingeSensor.VirtualDevice;

namespace HingeSensor.Host.Web
{
    /// <summary>
    /// `hinge serve --virtual --hold-button-at S…`: the virtual wearer holds the device's button
    /// 4.5 s at each of those device times, opening its pairing window, and what they then feel —
    /// the passkey the motor buzzes, the window closing — is said (<see cref="PairingWatch"/>),
    /// so that a person can pair the web app with a device that holds no bond with the browser.
    /// </summary>
    internal sealed class VirtualButton : IAsyncDisposable
    {
        public const double HoldS = 4.5;

        private readonly IReadOnlyList<double> _atS;
        private readonly Action<string> _say;
        private readonly CancellationTokenSource _stop = new();
        private Task _watching = Task.CompletedTask;
        private bool _scripted;

        public VirtualButton(IReadOnlyList<double> atS, Action<string> say)
        {
            _atS = atS;
            _say = say;
        }

        /// <summary>Scripts the holds on the device the dashboard opened (once: the same device for the server's life).</summary>
        public void Script(VirtualDeviceHost host)
        {
            lock (this)
            {
                if (_scripted) return;
                _scripted = true;
                foreach (double at in _atS) host.Rig.HoldButton(at, HoldS);
                _watching = PairingWatch.RunAsync(host, _say, _stop.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _watching;
            _stop.Dispose();
        }
    }
}
