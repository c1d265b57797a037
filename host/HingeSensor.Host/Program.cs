using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;

namespace HingeSensor.Host
{
    public static class Program
    {
        public static Task<int> Main(string[] args) =>
            HingeCli.RunAsync(args, Console.Out, Console.Error, CancellationToken.None, stopOnSignals: true);
    }
}
