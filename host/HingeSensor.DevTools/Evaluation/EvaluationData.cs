using System;
using System.IO;
using HingeSensor.DevTools.DeviceBuild;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>
    /// Where the licensed evaluation data lives. It is never copied into the project: it is read
    /// from ../shared/data beside the checkout, or from HINGESENSOR_DATA_DIR when that is set.
    /// (Not where `hinge` keeps its own data: that is HingeSensor.Host.Storage.HingeHome.)
    /// </summary>
    public static class EvaluationData
    {
        public const string DirectoryVariable = "HINGESENSOR_DATA_DIR";

        /// <summary>The data directory (it may not exist on a fresh clone outside our setup).</summary>
        public static string Directory
        {
            get
            {
                string? fromEnv = Environment.GetEnvironmentVariable(DirectoryVariable);
                if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
                string? root = Checkout.FindRoot();
                string baseDir = root != null ? Path.Combine(root, "..") : System.IO.Directory.GetCurrentDirectory();
                return Path.GetFullPath(Path.Combine(baseDir, "shared", "data"));
            }
        }

        /// <summary>The BROAD single-IMU trials used by `hinge-dev eval fusion`.</summary>
        public static string BroadDirectory { get { return Path.Combine(Directory, "broad"); } }
    }
}
