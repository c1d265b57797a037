using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;

namespace HingeSensor.DevTools.Cli
{
    /// <summary>The `hinge-dev` command line: the developers' verbs. Everything a user does is `hinge` (<see cref="HingeCli"/>).</summary>
    public static class DevCli
    {
        public static RootCommand Build()
        {
            var root = new RootCommand("HingeSensor developer tools: evaluation and benchmarks (what a user runs is `hinge`).");
            var eval = new Command("eval", "Measure the algorithms against data.");
            eval.Subcommands.Add(EvalFusionCommand.Create());
            eval.Subcommands.Add(EvalDetectionCommand.Create());
            eval.Subcommands.Add(EvalPublicCommand.Create());
            root.Subcommands.Add(eval);
            root.Subcommands.Add(BenchCommand.Create());
            return root;
        }

        /// <summary>Parses and runs a command line, writing to the given streams (tests pass their own).</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error) =>
            RunAsync(args, output, error, CancellationToken.None).GetAwaiter().GetResult();

        /// <summary>As <see cref="HingeCli.RunAsync"/>: until the command ends or <paramref name="ct"/> (or, with <paramref name="stopOnSignals"/>, Ctrl+C) stops it.</summary>
        public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct, bool stopOnSignals = false)
        {
            var config = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                ProcessTerminationTimeout = stopOnSignals ? HingeCli.StopGrace : null,
            };
            return Build().Parse(args).InvokeAsync(config, ct);
        }
    }
}
