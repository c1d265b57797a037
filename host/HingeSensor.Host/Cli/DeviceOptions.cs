using System.CommandLine;
using System.IO;
using HingeSensor.Host.Client;
using Spectre.Console;

namespace HingeSensor.Host.Cli
{
    /// <summary>Options every device command shares, and the console for people.</summary>
    internal sealed class DeviceOptions
    {
        public readonly Option<bool> Virtual = new("--virtual") { Description = "Use the virtual device (the real firmware core on a simulated wearer) instead of hardware." };
        public readonly Option<string?> Device = new("--device") { Description = "Device name or address (BlueZ), or tcp://127.0.0.1:PORT for a `hinge virtual-device` process." };
        public readonly Option<string?> Db = new("--db") { Description = "Database file (default: $HINGESENSOR_HOME or the XDG data directory, hingesensor/hinge.db)." };
        public readonly Option<int?> Seed = new("--seed") { Description = "Virtual device: the simulated wearer's seed (default: the script's first). Keep it the same across commands: another seed is another wearer, strapped differently." };
        public readonly Option<double> Speed;
        public readonly Option<int> Mtu = new("--mtu") { Description = "ATT MTU to ask for.", DefaultValueFactory = _ => 247 };
        public readonly Option<bool> Json = new("--json") { Description = "Machine-readable output." };

        /// <param name="virtualSpeed">How fast the virtual device runs by default: real time for watching, compressed for chores.</param>
        public DeviceOptions(double virtualSpeed = 20)
        {
            Speed = new("--speed") { Description = "Virtual device: device seconds per wall-clock second.", DefaultValueFactory = _ => virtualSpeed };
        }

        public void AddTo(Command c)
        {
            c.Options.Add(Virtual);
            c.Options.Add(Device);
            c.Options.Add(Db);
            c.Options.Add(Seed);
            c.Options.Add(Speed);
            c.Options.Add(Mtu);
            c.Options.Add(Json);
        }

        public DeviceSelection Selection(ParseResult p, string scenario = "demo") =>
            new(p.GetValue(Virtual), p.GetValue(Device), scenario, p.GetValue(Seed), p.GetValue(Speed), p.GetValue(Mtu));

        /// <summary>A Spectre console writing to the command's output (tests pass a StringWriter).</summary>
        /// <param name="forPeopleOnly">True when stdout carries --json: what people read goes to stderr then.</param>
        public static IAnsiConsole Console(ParseResult p, bool forPeopleOnly = false)
        {
            TextWriter w = forPeopleOnly ? p.InvocationConfiguration.Error : p.InvocationConfiguration.Output;
            bool terminal = forPeopleOnly
                ? ReferenceEquals(w, System.Console.Error) && !System.Console.IsErrorRedirected
                : ReferenceEquals(w, System.Console.Out) && !System.Console.IsOutputRedirected;
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(w),
                Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
                Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
                ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            });
            if (!terminal) console.Profile.Width = 160; // a log, not a screen: do not wrap lines at 80
            return console;
        }
    }
}
