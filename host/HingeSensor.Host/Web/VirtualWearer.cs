using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Host.Client;
using HingeSensor.Simulation.Choreography;
using HingeSensor.VirtualDevice;

namespace HingeSensor.Host.Web
{
    /// <summary>
    /// The simulated person wearing the virtual device, as the dashboard sees them: what their
    /// script has them doing now (so whoever presses the calibrate buttons knows when), and an
    /// optional coach that presses them at the scripted moments, as `hinge demo` does.
    /// </summary>
    public static class VirtualWearer
    {
        /// <summary>What the wearer is doing at the device's current time, e.g. "standing still for calibration (4 s left)".</summary>
        public static string Activity(VirtualDeviceHost host)
        {
            double t = host.TimeS;
            PlannedActivity? now = host.Rig.Simulation.Plan.FirstOrDefault(p => p.StartS <= t && t < p.EndS);
            if (now == null) return t >= host.Rig.DurationS ? "standing (the script is over)" : "between activities";
            string what = now.Kind switch
            {
                ActivityKind.CalibrateNeutral => "standing still for calibration — press Calibrate neutral",
                ActivityKind.CalibrateHinge => "a slow straight-back hinge for calibration — press Calibrate hinge",
                ActivityKind.ToeTouch => "a full toe touch — press Calibrate range",
                ActivityKind.Rep => now.Fault is FaultVariant.None or FaultVariant.Partial
                    ? $"hinge {now.RepIndex + 1} of set {now.SetIndex + 1}"
                    : $"hinge {now.RepIndex + 1} of set {now.SetIndex + 1} (scripted: {Scripted(now.Fault)})",
                ActivityKind.RestBetweenReps => "resting between hinges",
                ActivityKind.Walk => "walking",
                ActivityKind.Sit => "sitting",
                ActivityKind.Reach => "reaching",
                _ => "standing",
            };
            return $"{what} ({Math.Max(0, now.EndS - t):0} s left)";
        }

        private static string Scripted(FaultVariant f) => f switch
        {
            FaultVariant.LumbarRounding => "lumbar rounding",
            FaultVariant.ShouldersCollapse => "shoulders collapse",
            FaultVariant.ChinDrop => "chin drop",
            FaultVariant.HeadUp => "head cranked up",
            _ => f.ToString(),
        };

        /// <summary>
        /// Calibrates at the script's calibration moments, paced as `hinge calibrate --virtual` is
        /// (<see cref="VirtualPacing"/>: the device runs in real time until it has accepted, however
        /// fast it runs otherwise): neutral once the wearer stands still, then hinge at once (the
        /// capture waits for the slow hinge). Returns the results (for the log); throws
        /// <see cref="TimeoutException"/> if the device's clock is already past the still stance.
        /// </summary>
        public static async Task<CalibrationResult[]> AutoCalibrateAsync(VirtualDeviceHost host, DeviceClient client, CancellationToken ct)
        {
            var plan = host.Rig.Simulation.Plan;
            PlannedActivity neutral = plan.FirstOrDefault(p => p.Kind == ActivityKind.CalibrateNeutral)
                ?? throw new InvalidOperationException("the virtual wearer's script has no calibrate_neutral step");
            if (!plan.Any(p => p.Kind == ActivityKind.CalibrateHinge))
                throw new InvalidOperationException("the virtual wearer's script has no calibrate_hinge step");
            if (host.TimeS > neutral.EndS - 3.5)
                throw new TimeoutException($"the virtual wearer's neutral stance ended at {neutral.EndS:0.0} s, before the device could be calibrated");
            CalibrationResult n = await VirtualPacing.CalibrateAsync(host, client, CalibrationStep.Neutral, ct);
            CalibrationResult h = await VirtualPacing.CalibrateAsync(host, client, CalibrationStep.Hinge, ct);
            return new[] { n, h };
        }
    }
}
