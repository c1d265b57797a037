using System;
using System.IO;

namespace HingeSensor.Host.Storage
{
    /// <summary>
    /// Where hinge keeps its own data (the database, the `--virtual` device's flash):
    /// $HINGESENSOR_HOME, else the XDG data directory ($XDG_DATA_HOME or ~/.local/share) + "hingesensor".
    /// </summary>
    public static class HingeHome
    {
        public const string HomeVariable = "HINGESENSOR_HOME";

        public static string Path
        {
            get
            {
                string? home = Environment.GetEnvironmentVariable(HomeVariable);
                if (!string.IsNullOrWhiteSpace(home)) return System.IO.Path.GetFullPath(home);
                string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
                string baseDir = !string.IsNullOrWhiteSpace(xdg)
                    ? xdg
                    : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
                return System.IO.Path.Combine(baseDir, "hingesensor");
            }
        }

        /// <summary>
        /// The `--virtual` device's flash: beside the database in use (so `--db elsewhere/x.db`
        /// brings its own virtual device along), else &lt;data&gt;/virtual-device.
        /// </summary>
        public static string VirtualDevice(string? databaseOverride) =>
            System.IO.Path.Combine(databaseOverride != null ? System.IO.Path.GetDirectoryName(Database(databaseOverride))! : Path, "virtual-device");

        /// <summary>The database file: --db, else &lt;data&gt;/hinge.db.</summary>
        public static string Database(string? overridePath) =>
            overridePath != null ? System.IO.Path.GetFullPath(overridePath) : System.IO.Path.Combine(Path, "hinge.db");
    }
}
