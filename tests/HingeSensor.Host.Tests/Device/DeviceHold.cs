using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.VirtualDevice;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>
    /// Virtual time without a race against the wall clock: the in-process device runs as fast as
    /// it goes, but its loop stops at given moments of the wearer's script (device time) until the
    /// host has put its request for that moment on the link — so the device takes each request at
    /// exactly that moment, however long a busy machine takes to send it. Works through the rig's
    /// tick wrapper: the loop waits before its next pass, and the body and chips stand still with it.
    /// </summary>
    internal sealed class DeviceHold : IDisposable
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

        private readonly VirtualDeviceHost _host;
        private readonly Queue<double> _moments;
        private readonly object _gate = new();
        private double _at;
        private bool _holding;

        /// <summary>Arms the first moment; the device must not have reached it yet.</summary>
        public DeviceHold(VirtualDeviceHost host, params double[] moments)
        {
            _host = host;
            _moments = new Queue<double>(moments);
            _at = _moments.Dequeue();
            if (host.TimeS > _at) throw new InvalidOperationException($"the device is at {host.TimeS:0.00} s, past the moment {_at:0.00} s");
            host.Rig.TickWrapper = Tick;
        }

        private void Tick(Action tick)
        {
            lock (_gate)
            {
                if (_host.Rig.TimeS >= _at)
                {
                    _holding = true;
                    Monitor.PulseAll(_gate);
                    while (_host.Rig.TimeS >= _at) Monitor.Wait(_gate);
                    _holding = false;
                }
            }
            tick();
        }

        /// <summary>
        /// Sends <paramref name="request"/> at the current moment: waits until the device stands
        /// there, and once the request's write has reached the link, arms the next moment and lets
        /// the device go on. Returns the request's answer.
        /// </summary>
        public async Task<T> AskAsync<T>(TamperingLink link, Func<Task<T>> request)
        {
            WaitHeld();
            link.AfterWrite = (_, _) => Next();
            try
            {
                return await request();
            }
            finally
            {
                link.AfterWrite = null;
            }
        }

        /// <summary>Waits (the timeout only bounds a failure) until the device stands at the armed moment.</summary>
        private void WaitHeld()
        {
            var patience = Stopwatch.StartNew();
            lock (_gate)
            {
                while (!_holding)
                {
                    if (_host.Failure != null) throw new InvalidOperationException("the virtual device failed", _host.Failure);
                    if (patience.Elapsed > Patience) throw new TimeoutException($"the virtual device reached only {_host.TimeS:0.0} s of {_at:0.0} s in {Patience.TotalSeconds:0} s");
                    Monitor.Wait(_gate, 100);
                }
            }
        }

        private void Next()
        {
            lock (_gate)
            {
                _at = _moments.Count > 0 ? _moments.Dequeue() : double.PositiveInfinity;
                _holding = false;
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Lets the device run on freely.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                _moments.Clear();
                _at = double.PositiveInfinity;
                Monitor.PulseAll(_gate);
            }
            _host.Rig.TickWrapper = null;
        }
    }
}
