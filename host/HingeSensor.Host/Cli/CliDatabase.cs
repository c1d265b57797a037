using System.CommandLine;
using HingeSensor.Host.Storage;

namespace HingeSensor.Host.Cli
{
    /// <summary>Opens the database a command names (--db, else the data directory's), saying on stderr when there was none yet.</summary>
    internal static class CliDatabase
    {
        public static SessionDatabase Open(ParseResult p, string? dbOption)
        {
            var db = new SessionDatabase(HingeHome.Database(dbOption));
            // A mistyped --db makes a new, empty file: say so, where people read it (stdout may be --json).
            if (db.IsNew) p.InvocationConfiguration.Error.WriteLine($"{CommandName.Of(p)}: no database at {db.Path}: starting a new one");
            return db;
        }
    }
}
