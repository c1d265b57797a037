using System;
using System.CommandLine;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link;
using HingeSensor.Host.Live;
using HingeSensor.Host.Storage;
using Spectre.Console;

namespace HingeSensor.Host.Cli
{
    /// <summary>The commands that talk to a device: live, calibrate, config, device sessions/download/erase.</summary>
    internal static class DeviceCommands
    {
        /// <summary>Runs a device action with a connection, turning link and device errors into a message and exit code 2.</summary>
        private static Func<ParseResult, CancellationToken, Task<int>> WithDevice(DeviceOptions o, bool live,
            Func<ParseResult, DeviceConnection, IAnsiConsole, CancellationToken, Task<int>> action) => async (p, ct) =>
        {
            IAnsiConsole console = DeviceOptions.Console(p, forPeopleOnly: p.GetValue(o.Json));
            if (!p.GetValue(o.Virtual) && p.GetValue(o.Device) == null)
            {
                // No hardware named: BlueZ will look for one; say how to use the virtual one instead.
                console.WriteLine("(no --device given: looking for a HingeSensor over Bluetooth; use --virtual for the virtual device)");
            }
            try
            {
                await using DeviceConnection d = await DeviceConnection.OpenAsync(o.Selection(p), live, ct, HingeHome.VirtualDevice(p.GetValue(o.Db)));
                return await action(p, d, console, ct);
            }
            catch (Exception e) when (e is LinkUnavailableException || e is LinkLostException || e is DeviceRequestException || e is TimeoutException
                                      || e is IOException || e is InvalidOperationException || e is InvalidDataException)
            {
                p.InvocationConfiguration.Error.WriteLine($"{CommandName.Of(p)}: {e.Message}");
                return 2;
            }
        };

        public static Command Live()
        {
            var o = new DeviceOptions(virtualSpeed: 1);
            var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds of streaming (device clock, time with the link down not counted); default: until Ctrl+C." };
            var cmd = new Command("live", "Show the wearer live: angles, dowel gap, torso, fault, reps, link quality; reconnects by itself after a lost link.") { seconds };
            o.AddTo(cmd);
            cmd.SetAction(WithDevice(o, live: true, async (p, d, console, ct) =>
            {
                var state = new LiveState(d.Client);
                double limit = p.GetValue(seconds);
                // A device that drops out (out of range, rebooted) is waited for and reconnected: the view says so and goes on.
                var keeper = new LinkKeeper(d);
                keeper.Lost += state.OnLinkLost;
                keeper.AttemptFailed += (_, e, _) => state.OnReconnectFailed(e.Message);
                keeper.Reconnected += state.OnReconnected;
                await using (keeper)
                {
                    keeper.Start();
                    await LiveView.RunAsync(console, state, () => limit > 0 && state.StreamedSeconds >= limit, ct);
                }
                state.Detach();
                LinkHealth h = d.Client.Health;
                if (p.GetValue(o.Json))
                {
                    LiveSummary seen = state.Summary();
                    p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new
                    {
                        frames = h.Frames, gaps = h.Gaps, lost_frames = h.LostFrames, malformed = h.MalformedTotal, disconnects = h.Disconnects, reconnects = keeper.Reconnects,
                        calibrated_frames = seen.CalibratedFrames, reps = seen.Reps, max_torso_deg = seen.MaxTorsoDeg,
                        min_trunk_flexion_deg = seen.MinTrunkFlexionDeg, max_trunk_flexion_deg = seen.MaxTrunkFlexionDeg,
                        min_head_flexion_deg = seen.MinHeadFlexionDeg, max_head_flexion_deg = seen.MaxHeadFlexionDeg,
                    }));
                }
                return 0;
            }));
            return cmd;
        }

        public static Command Calibrate()
        {
            var cmd = new Command("calibrate", "Calibrate the sensors: neutral (stand tall), hinge (slow straight-back hinge), range (full toe touch).");
            foreach (CalibrationStep step in new[] { CalibrationStep.Neutral, CalibrationStep.Hinge, CalibrationStep.Range })
            {
                string name = DeviceActions.StepName(step), help = DeviceActions.Instruction(step);
                var o = new DeviceOptions();
                var sub = new Command(name, help);
                o.AddTo(sub);
                sub.SetAction(WithDevice(o, live: false, async (p, d, console, ct) =>
                {
                    console.WriteLine(help);
                    CalibrationResult c;
                    try
                    {
                        c = d.Virtual != null
                            ? await VirtualPacing.CalibrateAsync(d.Virtual, d.Client, step, ct)
                            : await DeviceActions.CalibrateAsync(d.Client, step, ct);
                    }
                    catch (DeviceRequestException e)
                    {
                        // Refused before any capture (not calibrated yet, one already running): a calibration that failed, said as such.
                        if (p.GetValue(o.Json))
                            p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new { step = name, status = "refused", message = e.Message }));
                        p.InvocationConfiguration.Error.WriteLine($"{CommandName.Of(p)}: {e.Message}");
                        return 1;
                    }
                    CalibrationOutcome r = c.Outcome;
                    if (p.GetValue(o.Json))
                        p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new { step = name, status = Analysis.RecordingAnalyzer.StatusName(r.Status), quality = r.Quality, range_trunk_flexion_deg = r.RangeTrunkFlexionDeg }));
                    else
                        console.MarkupLine($"[{(c.Ok ? "green" : "red")}]{Markup.Escape(c.Message)}[/]");
                    return c.Ok ? 0 : 1;
                }));
                cmd.Subcommands.Add(sub);
            }
            return cmd;
        }

        public static Command Config()
        {
            var cmd = new Command("config", "Read or change the device's settings.");
            var getOpts = new DeviceOptions();
            var get = new Command("get", "Print the device's configuration.");
            getOpts.AddTo(get);
            get.SetAction(WithDevice(getOpts, false, async (p, d, console, ct) =>
            {
                DeviceConfig c = await d.Client.ReadConfigAsync(ct);
                var values = ConfigSettings.All.ToDictionary(k => k.Key, k => k.Get(c));
                if (p.GetValue(getOpts.Json)) p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(values));
                else foreach (var (k, v) in values) console.WriteLine($"{k} = {v}");
                return 0;
            }));
            var setOpts = new DeviceOptions();
            var pairs = new Argument<string[]>("key=value") { Description = "Settings to change, e.g. chin_drop_deg=18 quiet=true.", Arity = ArgumentArity.OneOrMore };
            var set = new Command("set", "Change settings (validated by the device; nothing changes if any value is refused).") { pairs };
            setOpts.AddTo(set);
            set.SetAction(WithDevice(setOpts, false, async (p, d, console, ct) =>
            {
                TextWriter error = p.InvocationConfiguration.Error;
                DeviceConfig current = await d.Client.ReadConfigAsync(ct);
                var c = new DeviceConfig();
                c.CopyFrom(current);
                foreach (string pair in p.GetValue(pairs)!)
                {
                    int eq = pair.IndexOf('=');
                    ConfigSetting? setting = eq > 0 ? ConfigSettings.Find(pair[..eq]) : null;
                    if (setting == null)
                    {
                        error.WriteLine($"hinge config set: unknown setting '{pair}'. Known: {string.Join(", ", ConfigSettings.All.Select(k => k.Key))}");
                        return 2;
                    }
                    string value = pair[(eq + 1)..];
                    try { setting.Set(c, value); }
                    catch (Exception e) when (e is FormatException || e is OverflowException)
                    {
                        error.WriteLine($"hinge config set: '{value}' is not a value for {setting.Key}: allowed {setting.Allowed(c)}");
                        return 2;
                    }
                }
                // The limits the device enforces, checked here first: nothing is sent that it would refuse.
                IReadOnlyList<string> refused = ConfigSettings.Check(c, current);
                if (refused.Count > 0)
                {
                    foreach (string problem in refused) error.WriteLine($"hinge config set: {problem}");
                    error.WriteLine("hinge config set: nothing changed");
                    return 2;
                }
                await d.Client.WriteConfigAsync(c, ct);
                console.WriteLine("saved on the device");
                return 0;
            }));
            cmd.Subcommands.Add(get);
            cmd.Subcommands.Add(set);
            return cmd;
        }

        public static Command Device()
        {
            var cmd = new Command("device", "The device's status and the sessions stored on it.");
            var so = new DeviceOptions();
            var status = new Command("status", "Battery, sensors, calibration, recording, storage and the device's health counters.");
            so.AddTo(status);
            status.SetAction(WithDevice(so, false, async (p, d, console, ct) =>
            {
                var rows = DeviceStatusView.Rows(await d.Client.ReadStatusAsync(ct));
                if (p.GetValue(so.Json))
                {
                    p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(rows.ToDictionary(r => r.Key, r => r.Value)));
                    return 0;
                }
                var t = new Table().HideHeaders().AddColumns("", "");
                foreach (var r in rows.Where(r => r.Label.Length > 0)) t.AddRow(Markup.Escape(r.Label), Markup.Escape(r.Text));
                console.Write(t);
                return 0;
            }));
            cmd.Subcommands.Add(status);
            var lo = new DeviceOptions();
            var list = new Command("sessions", "List the sessions on the device.");
            lo.AddTo(list);
            list.SetAction(WithDevice(lo, false, async (p, d, console, ct) =>
            {
                var sessions = await d.Client.ListSessionsAsync(ct);
                if (p.GetValue(lo.Json))
                {
                    p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(sessions.Select(e => new
                    {
                        id = e.Id, uid = e.Uid.ToString("x16"), start_unix_ms = e.StartUnixMs, length = e.Length, duration_s = e.DurationS,
                        closed = (e.Flags & SessionEntry.FlagClosed) != 0, downloaded = (e.Flags & SessionEntry.FlagDownloaded) != 0,
                        recording = (e.Flags & SessionEntry.FlagRecording) != 0, recovered = (e.Flags & SessionEntry.FlagRecovered) != 0,
                        damaged = (e.Flags & SessionEntry.FlagDamaged) != 0, digest_pending = (e.Flags & SessionEntry.FlagDigestPending) != 0,
                    })));
                    return 0;
                }
                var t = new Table().AddColumns("id", "start", "duration", "bytes", "state");
                foreach (SessionEntry e in sessions)
                    t.AddRow(e.Id.ToString(), e.StartUnixMs == 0 ? "(time not set)" : DateTimeOffset.FromUnixTimeMilliseconds(e.StartUnixMs).ToLocalTime().ToString("yyyy-MM-dd HH:mm"),
                        $"{e.DurationS} s", e.Length.ToString(), State(e.Flags));
                console.Write(t);
                return 0;
            }));

            var dlo = new DeviceOptions();
            var ids = new Option<int[]>("--session") { Description = "Only these session ids (default: every finished session).", AllowMultipleArgumentsPerToken = true };
            var erase = new Option<bool>("--erase") { Description = "Erase each session from the device once it is stored and the device confirmed its digest." };
            var download = new Command("download", "Download sessions into the database (resumable; every chunk checked; idempotent by content).") { ids, erase };
            dlo.AddTo(download);
            download.SetAction(WithDevice(dlo, false, async (p, d, console, ct) =>
            {
                using var db = CliDatabase.Open(p, p.GetValue(dlo.Db));
                int[]? only = p.GetValue(ids);
                var progressConsole = console;
                var synced = await SessionSync.SyncAsync(d, db, p.GetValue(erase), e => new Progress<DownloadProgress>(pr =>
                {
                    if (pr.Bytes == pr.Total) progressConsole.WriteLine($"session {pr.SessionId}: {pr.Bytes} bytes at {pr.BytesPerSecond / 1024:0.0} KB/s{(pr.Resumes > 0 ? $", resumed {pr.Resumes}×" : "")}");
                }), only is { Length: > 0 } ? only : null, ct);
                if (p.GetValue(dlo.Json)) p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(synced.Select(s => new
                {
                    device_session = s.DeviceSessionId, database_id = s.DatabaseId, outcome = s.Outcome.ToString(), s.New, s.Marked, s.Erased, s.Bytes, message = s.Message,
                })));
                else foreach (var s in synced) (s.Outcome is SyncOutcome.Quarantined or SyncOutcome.Failed ? p.InvocationConfiguration.Error : p.InvocationConfiguration.Output).WriteLine(s.Describe());
                return synced.Any(s => s.Outcome is SyncOutcome.Quarantined or SyncOutcome.Failed) ? 1 : 0;
            }));

            var eo = new DeviceOptions();
            var id = new Argument<int>("id") { Description = "Session id on the device." };
            var force = new Option<bool>("--force") { Description = "Erase even if it was never downloaded." };
            var eraseCmd = new Command("erase", "Erase a session from the device.") { id, force };
            eo.AddTo(eraseCmd);
            eraseCmd.SetAction(WithDevice(eo, false, async (p, d, console, ct) =>
            {
                // Without --force the device erases only the content this database holds: name it by its digest.
                int sid = p.GetValue(id);
                byte[] tag = new byte[SessionFormat.DigestTagBytes];
                if (!p.GetValue(force))
                {
                    using var db = new SessionDatabase(HingeHome.Database(p.GetValue(eo.Db)));
                    if (db.StoredDigest(d.Identity.Serial, sid) is not byte[] digest)
                    {
                        p.InvocationConfiguration.Error.WriteLine($"hinge device erase: session {sid} of {d.Identity.Serial} is not in {db.Path}; download it first, or add --force");
                        return 1;
                    }
                    Array.Copy(digest, tag, tag.Length);
                }
                byte[] request = new[] { (byte)sid, (byte)(sid >> 8), (byte)(p.GetValue(force) ? 1 : 0) }.Concat(tag).ToArray();
                ControlResponse r = await d.Client.RequestAsync(Opcode.EraseSession, request, ct);
                if (r.Result == ResultCode.Success) { console.WriteLine($"session {sid} erased"); return 0; }
                p.InvocationConfiguration.Error.WriteLine($"hinge device erase: {DeviceRefusal.Describe(Opcode.EraseSession, r.Result, request)}");
                return 1;
            }));
            cmd.Subcommands.Add(list);
            cmd.Subcommands.Add(download);
            cmd.Subcommands.Add(eraseCmd);
            return cmd;
        }

        // The in-process device lives as long as the command: a recording started in it would be
        // cut off (a power cut) the moment `record start` returns, while the wearer goes on.
        private const string VirtualRecordingRefusal =
            "hinge record start: the --virtual device runs inside this command and stops with it, so a recording started here would be cut off at once. " +
            "To record the virtual wearer: run `hinge virtual-device --listen 127.0.0.1:5150` in another terminal and use `--device tcp://127.0.0.1:5150` " +
            "with `hinge record start`, `hinge record stop` and `hinge device download`; or `hinge demo`, which records a whole workout and stores it.";

        public static Command Record()
        {
            var cmd = new Command("record", "Start or stop recording a session on the device.");
            foreach (var (name, help) in new[]
            {
                ("start", "Start recording a session to the device's flash."),
                ("stop", "Stop the session being recorded (it is then ready to download)."),
            })
            {
                var o = new DeviceOptions();
                var sub = new Command(name, help);
                o.AddTo(sub);
                var withDevice = WithDevice(o, false, async (p, d, console, ct) =>
                {
                    RecordingResult r = name == "start"
                        ? await DeviceActions.StartRecordingAsync(d.Client, ct)
                        : await DeviceActions.StopRecordingAsync(d.Client, ct);
                    if (p.GetValue(o.Json))
                    {
                        p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new { result = JsonNamingPolicy.SnakeCaseLower.ConvertName(r.Result.ToString()), session = r.SessionId, message = r.Message }));
                        return r.Ok ? 0 : 1;
                    }
                    if (r.Ok)
                    {
                        console.WriteLine(r.Message);
                        return 0;
                    }
                    p.InvocationConfiguration.Error.WriteLine($"hinge record {name}: {r.Message}");
                    return 1;
                });
                sub.SetAction((p, ct) =>
                {
                    if (name == "start" && p.GetValue(o.Virtual))
                    {
                        p.InvocationConfiguration.Error.WriteLine(VirtualRecordingRefusal);
                        return Task.FromResult(2);
                    }
                    return withDevice(p, ct);
                });
                cmd.Subcommands.Add(sub);
            }
            return cmd;
        }

        public static Command Scan()
        {
            var seconds = new Option<double>("--seconds") { Description = "How long to listen for advertisements.", DefaultValueFactory = _ => 5 };
            var json = new Option<bool>("--json") { Description = "Machine-readable output." };
            var cmd = new Command("scan", "Look for HingeSensor devices over Bluetooth (BlueZ).") { seconds, json };
            cmd.SetAction(async (p, ct) =>
            {
                try
                {
                    var found = await BlueZLinks.ScanAsync(TimeSpan.FromSeconds(p.GetValue(seconds)), ct);
                    if (p.GetValue(json))
                        p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(found.Select(a => new { name = a.Name, address = a.Address, rssi = a.Rssi })));
                    else if (found.Count == 0)
                        p.InvocationConfiguration.Output.WriteLine("no HingeSensor found: is it switched on and in range? (`hinge live --virtual` runs without one)");
                    else
                        foreach (var a in found)
                            p.InvocationConfiguration.Output.WriteLine($"{a.Name,-24} {a.Address}  {(a.Rssi is int r ? $"{r} dBm" : "")}");
                    return 0;
                }
                catch (LinkUnavailableException e)
                {
                    p.InvocationConfiguration.Error.WriteLine($"hinge scan: {e.Message}");
                    return 2;
                }
            });
            return cmd;
        }

        private static string State(int flags)
        {
            var s = new List<string>();
            if ((flags & SessionEntry.FlagRecording) != 0) s.Add("recording");
            else s.Add((flags & SessionEntry.FlagClosed) != 0 ? "complete" : "cut short");
            if ((flags & SessionEntry.FlagDownloaded) != 0) s.Add("downloaded");
            if ((flags & SessionEntry.FlagRecovered) != 0) s.Add("recovered after power loss");
            if ((flags & SessionEntry.FlagDamaged) != 0) s.Add("damaged chunks (skipped)");
            if ((flags & (SessionEntry.FlagDigestPending | SessionEntry.FlagRecording)) == SessionEntry.FlagDigestPending) s.Add("digest being computed");
            return string.Join(", ", s);
        }
    }
}
