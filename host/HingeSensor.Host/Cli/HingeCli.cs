using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HingeSensor.Host.Cli
{
    /// <summary>The `hinge` command line: one small class per command, assembled here. The developers' verbs are `hinge-dev` (HingeSensor.DevTools).</summary>
    public static class HingeCli
    {
        public static RootCommand Build()
        {
            var root = new RootCommand("HingeSensor host: a wearable coach for the hip hinge.");
            root.Subcommands.Add(DemoCommand.Create());
            root.Subcommands.Add(SimulateCommand.Create());
            root.Subcommands.Add(AnalyzeCommand.Create());
            root.Subcommands.Add(DeviceCommands.Scan());
            root.Subcommands.Add(PairCommand.Create());
            root.Subcommands.Add(DeviceCommands.Live());
            root.Subcommands.Add(DeviceCommands.Calibrate());
            root.Subcommands.Add(DeviceCommands.Config());
            root.Subcommands.Add(DeviceCommands.Record());
            root.Subcommands.Add(DeviceCommands.Device());
            root.Subcommands.Add(HistoryCommand.Create());
            root.Subcommands.Add(ReportCommand.Create());
            root.Subcommands.Add(TrendsCommand.Create());
            root.Subcommands.Add(VirtualDeviceCommand.Create());
            root.Subcommands.Add(ServeCommand.Create());
            root.Subcommands.Add(ServerCommand.Create());
            root.Subcommands.Add(SyncCommand.Create());
            root.Subcommands.Add(AppCommand.Create());
            root.Subcommands.Add(MovedCommand.Create("eval"));
            root.Subcommands.Add(MovedCommand.Create("bench"));
            return root;
        }

        /// <summary>Parses and runs a command line, writing to the given streams (tests pass their own).</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error) =>
            RunAsync(args, output, error, CancellationToken.None).GetAwaiter().GetResult();

        /// <summary>
        /// Parses and runs a command line until it ends or <paramref name="ct"/> is cancelled. With
        /// <paramref name="stopOnSignals"/> (the real process) Ctrl+C and SIGTERM cancel it the same
        /// way, and the command gets time to let go of what it holds before the process exits.
        /// </summary>
        public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct, bool stopOnSignals = false)
        {
            var config = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                ProcessTerminationTimeout = stopOnSignals ? StopGrace : null,
            };
            return Build().Parse(args).InvokeAsync(config, ct);
        }

        /// <summary>How long a stopped command may take to finish before the process exits anyway.</summary>
        public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    }
}
