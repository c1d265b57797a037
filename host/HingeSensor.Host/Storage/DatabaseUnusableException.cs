using System.IO;

namespace HingeSensor.Host.Storage
{
    /// <summary>
    /// A database file hinge will not use — damaged, not hinge's, of a newer hinge, with an
    /// unreadable schema version — and is left exactly as it was. The message names the file,
    /// says what is wrong and how to go on.
    /// </summary>
    public sealed class DatabaseUnusableException : IOException
    {
        public DatabaseUnusableException(string path, string problem, string howToGoOn, System.Exception? inner = null)
            : base($"{path} {problem}. The file is left as it is. {howToGoOn}", inner)
        {
            DatabasePath = path;
        }

        public string DatabasePath { get; }

        /// <summary>What to do when a file cannot be used as it is: another file for now.</summary>
        public static string StartAfresh(string path) =>
            $"To go on, start a new database elsewhere with --db NEW.db (or move {System.IO.Path.GetFileName(path)} aside).";
    }
}
