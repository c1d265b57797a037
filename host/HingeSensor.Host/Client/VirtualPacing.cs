using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Simulation.Choreography;
using HingeSensor.VirtualDevice;

namespace HingeSensor.Host.Client
{
    /// <summary>
    /// Keeps the in-process virtual device's clock and a person's requests in step. The device may
    /// run many times faster than real time, but a request takes the host a wall-clock while that
    /// varies with how busy the machine is — at ×20 a 100 ms hiccup is 2 s of the wearer's script.
    /// So the device runs in real time while the host talks to it, and a calibration is asked for
    /// when the scripted wearer does what it needs (as a person answers the prompt); the capture
    /// itself then runs at the chosen speed.
    /// </summary>
    public static class VirtualPacing
    {
        /// <summary>Real time, unless the device was asked to be slower still.</summary>
        public static double PersonSpeed(double speed) => speed > 0 && speed < 1 ? speed : 1;

        /// <summary>
        /// A capture on the in-process virtual device: not before its sensors are up and its
        /// filters settled (it was switched on for this command: the sensors start within 0.15 s,
        /// and a capture begun before would end at once, a sensor missing); neutral once the
        /// wearer's scripted still stance has settled (0.4 s in, with the 3 s capture inside it);
        /// hinge and range then at once (those captures wait for the movement). The device runs in
        /// real time until it has accepted (a neutral request, at a quarter of it).
        /// </summary>
        public static async Task<CalibrationResult> CalibrateAsync(VirtualDeviceHost host, DeviceClient client, CalibrationStep step, CancellationToken ct)
        {
            double speed = host.Speed;
            host.Speed = PersonSpeed(speed);
            try
            {
                await WaitForDeviceTimeAsync(host, SettleS, ct);
                if (step == CalibrationStep.Neutral)
                {
                    double now = host.TimeS;
                    PlannedActivity? stance = host.Rig.Simulation.Plan.FirstOrDefault(p =>
                        p.Kind == ActivityKind.CalibrateNeutral && p.EndS - Math.Max(now, p.StartS + SettleS) >= NeutralCaptureS + SettleS);
                    if (stance != null) await WaitForDeviceTimeAsync(host, stance.StartS + SettleS, ct);
                    // The stance leaves the request well under a second of slack; a loaded machine
                    // (tests beside builds on two cores) took longer to deliver it, and the capture
                    // ran into the wearer's next movement. The device waits for it at a quarter pace.
                    host.Speed = Math.Min(host.Speed, RequestSpeed);
                }
                return await DeviceActions.CalibrateAsync(client, step, ct, accepted: () => host.Speed = speed);
            }
            finally
            {
                host.Speed = speed;
            }
        }

        // The sensors are up and the filters settle (after boot, after the wearer comes to a stand).
        private const double SettleS = 0.4;
        private const double NeutralCaptureS = 3;
        private const double RequestSpeed = 0.25;

        private static async Task WaitForDeviceTimeAsync(VirtualDeviceHost host, double t, CancellationToken ct)
        {
            while (host.TimeS < t)
            {
                if (host.Failure != null) throw new InvalidOperationException("the virtual device failed: " + host.Failure.Message);
                await Task.Delay(5, ct);
            }
        }
    }
}
