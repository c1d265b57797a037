using System.CommandLine;

namespace HingeSensor.Host.Cli
{
    internal static class BenchCommand
    {
        public static Command Create()
        {
            var cmd = new Command("bench", "Print performance figures.");
            return cmd;
        }
    }
}
