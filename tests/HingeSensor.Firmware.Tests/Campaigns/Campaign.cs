using HingeSensor.TestSupport;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice;

namespace HingeSensor.Firmware.Tests.Campaigns
{
    /// <summary>
    /// Campaigns: many mutations of valid encodings (made by our own encoders) or many faults, each
    /// counted against a goal. A bounded slice runs with every test run; HINGESENSOR_CAMPAIGN=long
    /// runs the full one (<see cref="CampaignScale"/>). Written so that a fuzz harness can call the
    /// per-case checks directly.
    /// </summary>
    internal static class Campaign
    {
        public static bool Long => CampaignScale.Long;

        public static int Size(int slice, int full) => CampaignScale.Size(slice, full);

        private static readonly System.Lazy<byte[]> Workout = new(RecordWorkout);

        /// <summary>A real session as the firmware records it: calibration, a set of reps with each fault, walking — alerts, reps, validity changes. Recorded once per run; each caller gets its own copy.</summary>
        public static byte[] RecordedWorkout() => (byte[])Workout.Value.Clone();

        private static byte[] RecordWorkout()
        {
            var rig = new VirtualRig(Scenarios.Workout(reps: 8), 41);
            rig.Boot();
            var link = new TestLink(rig);
            link.RunTo(0.5);
            link.Request(Opcode.CalibrateNeutral);
            link.RunTo(4.0);
            link.Request(Opcode.CalibrateHinge);
            while (rig.Core.Tracker.Capturing != CalibrationStep.None) link.RunTo(rig.TimeS + 0.01);
            link.Request(Opcode.StartRecording);
            link.RunTo(rig.DurationS);
            link.Request(Opcode.StopRecording);
            return rig.Flash.Contents(rig.Core.Sessions.PathOf(1));
        }
    }
}
