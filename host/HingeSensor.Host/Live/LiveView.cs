using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Reps;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HingeSensor.Host.Live
{
    /// <summary>
    /// The live view: segment angles, dowel gap, torso, current fault, rep counter and link
    /// quality, refreshed in place on a terminal; alerts, a lost link and its return announced
    /// above it. Without a terminal (redirected, tests) it prints a status line every few seconds
    /// (not while the link is down) and each announcement.
    /// </summary>
    public static class LiveView
    {
        public static async Task RunAsync(IAnsiConsole console, LiveState state, Func<bool> done, CancellationToken ct)
        {
            if (console.Profile.Capabilities.Interactive)
            {
                await console.Live(Render(state.Take().Frame, 0, state)).AutoClear(false).StartAsync(async ctx =>
                {
                    while (!done() && !ct.IsCancellationRequested)
                    {
                        var (frame, fps, announcements) = state.Take();
                        foreach (string a in announcements) console.MarkupLine(Markup.Escape(a));
                        ctx.UpdateTarget(Render(frame, fps, state));
                        await Task.Delay(200, ct);
                    }
                });
                return;
            }
            var next = DateTime.UtcNow;
            while (!done() && !ct.IsCancellationRequested)
            {
                var (frame, fps, announcements) = state.Take();
                foreach (string a in announcements) console.WriteLine(a);
                // While the link is down the last frame is stale: the announcements say what is going on.
                if (DateTime.UtcNow >= next && frame is LiveFrame f && state.LinkDown == null)
                {
                    console.WriteLine($"  t {f.TimeMs / 1000.0,7:0.0} s  torso {f.TorsoDeg,5:0}°  trunk {f.TrunkFlexionDeg,5:0}°  head {f.HeadFlexionDeg,5:0}°  gap {f.DowelGapCm,4:0} cm  reps {f.RepCount,3}  {fps,3} frames/s  gaps {state.Client.Health.Gaps}");
                    next = DateTime.UtcNow.AddSeconds(2);
                }
                await Task.Delay(100, ct);
            }
            foreach (string a in state.Take().Announcements) console.WriteLine(a);
        }

        private static IRenderable Render(LiveFrame? frame, int fps, LiveState state)
        {
            var t = new Table().Border(TableBorder.Rounded).Title("[bold]HingeSensor live[/]");
            t.AddColumn("");
            t.AddColumn(new TableColumn("").RightAligned());
            if (frame is not LiveFrame f)
            {
                t.AddRow("waiting for frames", "");
                return t;
            }
            Fault current = f.FaultMask == 0 ? Fault.None : (f.FaultMask & 2) != 0 ? Fault.BackRounding : (f.FaultMask & 4) != 0 ? Fault.ChinDrop : Fault.HeadUp;
            t.AddRow("device time", $"{f.TimeMs / 1000.0:0.0} s");
            t.AddRow("torso (upper back)", $"{f.TorsoDeg:0}°");
            t.AddRow("hinge (sacrum)", $"{f.HingeDeg:0}°");
            t.AddRow("trunk flexion", Colour(f.TrunkFlexionDeg, 20));
            t.AddRow("head flexion", Colour(f.HeadFlexionDeg, 15));
            t.AddRow("dowel gap", $"{f.DowelGapCm:0.0} cm");
            t.AddRow("phase", ((RepPhase)f.Phase).ToString());
            t.AddRow("reps", f.RepCount.ToString());
            t.AddRow("fault", current == Fault.None ? "[green]in line[/]" : $"[bold red]{LiveState.FaultText(current)}[/]");
            t.AddRow("sensors", (f.ValidMask & 7) == 7 ? "[green]3 ok[/]" : $"[yellow]valid mask {f.ValidMask}[/]");
            var h = state.Client.Health;
            string? down = state.LinkDown;
            t.AddRow("link", down != null
                ? $"[bold yellow]lost: {Markup.Escape(down)} — reconnecting …[/] ({h.Disconnects} drops)"
                : $"{fps} frames/s, {h.Gaps} gaps ({h.LostFrames} frames), {h.MalformedTotal} malformed, {h.Disconnects} drops");
            return t;
        }

        private static string Colour(float v, float threshold) =>
            v > threshold ? $"[bold red]{v:0}°[/]" : v > threshold - 5 ? $"[yellow]{v:0}°[/]" : $"{v:0}°";
    }
}
