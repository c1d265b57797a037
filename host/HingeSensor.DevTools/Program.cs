using System;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.DevTools.Cli;

namespace HingeSensor.DevTools
{
    public static class Program
    {
        public static Task<int> Main(string[] args) =>
            DevCli.RunAsync(args, Console.Out, Console.Error, CancellationToken.None, stopOnSignals: true);
    }
}
