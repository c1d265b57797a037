using System.Collections.Generic;
using System.Linq;

namespace HingeSensor.DevTools.Benchmarks
{
    /// <summary>
    /// A device-cost figure means nothing if the scenario was not in its state: checks the bench's
    /// counters (over the measured window and at the end) and throws, naming what was off.
    /// </summary>
    internal static class ScenarioCheck
    {
        public static void Verify(ScenarioCost c, IReadOnlyDictionary<string, long> end)
        {
            var problems = new List<string>();
            long W(string k) => c.Window.TryGetValue(k, out long v) ? v : 0;
            long E(string k) => end.TryGetValue(k, out long v) ? v : 0;
            void Need(bool ok, string what) { if (!ok) problems.Add(what); }
            bool fullCycle = c.Passes >= 500; // a rep, an alert: one 5 s cycle of the wearer

            Need(W("samples") >= c.Passes * 95 / 100, $"{W("samples")} samples in {c.Passes} passes (three sensors at 100 Hz give one per pass)");
            Need(E("failed_answers") == 0, $"{E("failed_answers")} requests refused (last: opcode {E("last_failure") >> 8}, result {E("last_failure") & 0xFF})");
            Need(E("frames_lost") == 0, $"{E("frames_lost")} FIFO frames lost");
            Need(E("files_refused") == 0, $"{E("files_refused")} flash writes refused by the RAM store");
            bool connected = c.Name != "idle";
            Need(E("connected") == (connected ? 1 : 0), connected ? "no host connected" : "a host is connected");
            switch (c.Name)
            {
                case "idle":
                    Need(E("live") == 0 && E("recording") == 0 && E("reps") == 0, "idle but streaming, recording or counting reps");
                    break;
                case "live":
                case "live_recording":
                case "alert":
                    Need(W("live") > 0, "no live notifications in the measured passes");
                    Need(E("live_dropped") == 0, $"{E("live_dropped")} live frames dropped");
                    Need(E("recording") == (c.Name == "live" ? 0 : 1), c.Name == "live" ? "recording" : "not recording");
                    Need(fullCycle ? W("reps") >= 1 : E("reps") >= 1, "no rep counted");
                    if (c.Name == "alert")
                    {
                        Need(fullCycle ? W("alerts_back_rounding") >= 1 : E("alerts_back_rounding") >= 1, "no BackRounding alert");
                        Need(E("alerts_chin_drop") >= 1, "no ChinDrop alert");
                        Need(fullCycle ? W("motor_pulses") >= 1 : E("motor_pulses") >= 1, "the motor never buzzed");
                    }
                    else Need(E("alerts_back_rounding") + E("alerts_chin_drop") == 0, "alerts raised during clean hinges");
                    break;
                case "download":
                    Need(W("downloaded_bytes") > 0 && W("downloads") >= 1, $"{W("downloaded_bytes")} bytes, {W("downloads")} downloads completed in the measured passes");
                    Need(E("download_failures") == 0, $"{E("download_failures")} downloads failed");
                    Need(E("live") == 0 && E("recording") == 0, "streaming or recording while downloading");
                    break;
            }
            if (problems.Count > 0)
                throw new DeviceBenchException($"scenario {c.Name} was not in its state: {string.Join("; ", problems)}. Counters over the measured passes: "
                    + string.Join(", ", c.Window.Select(kv => kv.Key + "=" + kv.Value)) + "; at the end: " + string.Join(", ", end.Select(kv => kv.Key + "=" + kv.Value)));
        }
    }
}
