using System.CommandLine;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// A developer verb that left `hinge` for `hinge-dev` (host/HingeSensor.DevTools): hidden from
    /// the help, it says where the verb went and exits 2. Not forwarded: an installed `hinge` has no
    /// `hinge-dev` beside it, and carrying the benchmarks to forward to would undo the move.
    /// </summary>
    internal static class MovedCommand
    {
        public static Command Create(string verb)
        {
            var cmd = new Command(verb, $"Moved: `hinge-dev {verb}`.") { Hidden = true, TreatUnmatchedTokensAsErrors = false };
            cmd.SetAction(parse =>
            {
                string rest = string.Join(' ', parse.UnmatchedTokens);
                string args = rest.Length > 0 ? verb + " " + rest : verb;
                parse.InvocationConfiguration.Error.WriteLine(
                    $"hinge {verb}: a developer tool, now `hinge-dev {args}` (in a checkout: dotnet run -c Release --project host/HingeSensor.DevTools -- {args})");
                return 2;
            });
            return cmd;
        }
    }
}
