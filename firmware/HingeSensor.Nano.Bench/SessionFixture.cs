using HingeSensor.Algorithms.Posture;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Bench
{
    /// <summary>
    /// A session recorded before the device boots — five minutes of hinges at 25 frames/s with a
    /// rep every five seconds, written by the firmware's own recorder and digested by its own
    /// digester — so that the download scenario streams a file of a real session's length (about
    /// 55 KB: a connection's worth of passes per download) instead of a few seconds that would
    /// make the per-download requests look like the steady state.
    /// </summary>
    public static class SessionFixture
    {
        public const int Seconds = 300;
        public const int FrameRateHz = 25;

        /// <summary>Records it into <paramref name="files"/> under <paramref name="root"/>; its id.</summary>
        public static int Record(IFileStore files, string root, IRandomSource random)
        {
            var store = new SessionStore(files, root, random);
            store.Recover();
            var recorder = new SessionRecorder(store, files);
            var header = new SessionHeader();
            header.DeviceSerial = "HS1-BENCH";
            header.StartUnixMs = 1764000000000;
            header.FrameRateHz = FrameRateHz;
            SessionInfo? s = recorder.Start(header, 0f);
            if (s == null) return 0;
            var m = new PostureMetrics();
            m.ValidSegments = 7;
            var rep = new HingeSensor.Algorithms.Reps.Rep();
            for (int k = 0; k < Seconds * FrameRateHz; k++)
            {
                float phase = k * 0.04f;
                float hinge = (float)System.Math.Sin(phase * 1.2566);
                m.UpperBackSagittalDeg = 40f + 30f * hinge;
                m.SacrumSagittalDeg = 30f + 20f * hinge;
                m.HeadSagittalDeg = m.UpperBackSagittalDeg + 2f;
                m.UpperBackLateralDeg = 1.5f;
                recorder.AddFrame(m);
                if (k % 125 == 124)
                {
                    rep.Number = k / 125;
                    rep.Counted = true;
                    rep.StartS = phase - 3f;
                    rep.EndS = phase;
                    rep.DepthDeg = 70f;
                    recorder.AddRep(rep);
                }
            }
            recorder.Stop(StopReason.Requested, Seconds);
            while (s.DigestState == SessionInfo.DigestPending) store.Digester.Pump();
            return s.Id;
        }
    }
}
