using System;
using HingeSensor.Host.Cli;

namespace HingeSensor.Host
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            return HingeCli.Run(args, Console.Out, Console.Error);
        }
    }
}
