using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;

namespace HingeSensor.Host.Client
{
    /// <summary>The outcome of a calibration capture as the device reports it (its CalibrationDone event). A step found in a recording by `hinge analyze` is an <see cref="Analysis.CalibrationStepRecord"/>.</summary>
    public sealed record CalibrationOutcome(CalibrationStep Step, CalibrationStatus Status, int FailedSegment, double[] Quality, double RangeTrunkFlexionDeg);

    public sealed partial class DeviceClient
    {
        /// <summary>Starts waiting for the next event of a kind (call before the request that causes it).</summary>
        public Task<DeviceEventMessage> NextEventAsync(DeviceEvent kind, Func<DeviceEventMessage, bool>? match, TimeSpan timeout, CancellationToken ct)
        {
            var tcs = new TaskCompletionSource<DeviceEventMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            void Handler(DeviceEventMessage e)
            {
                if (e.Kind == kind && (match == null || match(e))) tcs.TrySetResult(e);
            }
            EventReceived += Handler;
            return Wait();

            async Task<DeviceEventMessage> Wait()
            {
                try
                {
                    return await tcs.Task.WaitAsync(timeout, ct);
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException($"no {Awaited(kind)} from the device within {timeout.TotalSeconds:0} s");
                }
                finally
                {
                    EventReceived -= Handler;
                }
            }
        }

        private static string Awaited(DeviceEvent kind) => kind switch
        {
            DeviceEvent.CalibrationDone => "calibration result",
            DeviceEvent.DownloadDone => "end of the download",
            DeviceEvent.RecordingStopped => "word that the recording stopped",
            _ => $"event {(int)kind}",
        };

        /// <summary>
        /// Runs a calibration capture and waits for its result (up to the capture's own timeout and
        /// some); <paramref name="accepted"/> runs when the device has begun the capture.
        /// </summary>
        public async Task<CalibrationOutcome> CalibrateAsync(CalibrationStep step, TimeSpan timeout, CancellationToken ct = default, Action? accepted = null)
        {
            Task<DeviceEventMessage> done = NextEventAsync(DeviceEvent.CalibrationDone, e => e.Payload.Length > 0 && e.Payload[0] == (byte)step, timeout, ct);
            Opcode op = step == CalibrationStep.Neutral ? Opcode.CalibrateNeutral : step == CalibrationStep.Hinge ? Opcode.CalibrateHinge : Opcode.CalibrateRange;
            ControlResponse r = await RequestAsync(op, null, ct);
            if (r.Result != ResultCode.Accepted && r.Result != ResultCode.Success) throw new DeviceRequestException(op, r.Result);
            accepted?.Invoke();
            byte[] p = (await done).Payload;
            if (p.Length < 8) throw new InvalidOperationException("a CalibrationDone event too short to read");
            return new CalibrationOutcome((CalibrationStep)p[0], (CalibrationStatus)p[1], p[2] == 0xFF ? -1 : p[2],
                new[] { p[3] / 255.0, p[4] / 255.0, p[5] / 255.0 }, BitConverter.ToInt16(p, 6) / 100.0);
        }
    }
}
