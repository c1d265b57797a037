using System;
using System.IO;

namespace HingeSensor.Host.IO
{
    /// <summary>
    /// Where the licensed evaluation data lives. It is never copied into the project: it is read
    /// from ../shared/data beside the checkout, or from HINGESENSOR_DATA_DIR when that is set.
    /// </summary>
    public static class DataLocations
    {
        public const string DataDirVariable = "HINGESENSOR_DATA_DIR";

        /// <summary>The data directory (it may not exist on a fresh clone outside our setup).</summary>
        public static string DataDirectory
        {
            get
            {
                string? fromEnv = Environment.GetEnvironmentVariable(DataDirVariable);
                if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
                string? root = FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(Directory.GetCurrentDirectory());
                string baseDir = root != null ? Path.Combine(root, "..") : Directory.GetCurrentDirectory();
                return Path.GetFullPath(Path.Combine(baseDir, "shared", "data"));
            }
        }

        /// <summary>The BROAD single-IMU trials used by `hinge eval fusion`.</summary>
        public static string BroadDirectory { get { return Path.Combine(DataDirectory, "broad"); } }

        /// <summary>The checkout this program was built from: the first parent holding HingeSensor.sln.</summary>
        public static string? FindRepositoryRoot(string start)
        {
            var dir = new DirectoryInfo(start);
            while (dir != null)
            {
                if (File.Exists(Path.Combine(dir.FullName, "HingeSensor.sln"))) return dir.FullName;
                dir = dir.Parent;
            }
            return null;
        }
    }
}
