using System.CommandLine;

namespace HingeSensor.Host.Cli
{
    /// <summary>The command as the user typed it, for the start of a message: "hinge config set".</summary>
    internal static class CommandName
    {
        public static string Of(ParseResult p)
        {
            string name = "";
            for (var c = p.CommandResult; c != null && c.Command is not RootCommand; c = c.Parent as System.CommandLine.Parsing.CommandResult)
                name = name.Length == 0 ? c.Command.Name : c.Command.Name + " " + name;
            return "hinge " + name;
        }
    }
}
