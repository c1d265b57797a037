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
        public static string Directory => BesideCheckout(DirectoryVariable, Path.Combine("shared", "data"));

        /// <summary>
        /// Data that is never copied into the project: the folder <paramref name="variable"/> names,
        /// else <paramref name="relative"/> beside the checkout (or the current directory outside one).
        /// </summary>
        public static string BesideCheckout(string variable, string relative)
        {
            string? fromEnv = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
            string? root = Checkout.FindRoot();
            string baseDir = root != null ? Path.Combine(root, "..") : System.IO.Directory.GetCurrentDirectory();
            return Path.GetFullPath(Path.Combine(baseDir, relative));
        }

        /// <summary>The BROAD single-IMU trials used by `hinge-dev eval fusion`.</summary>
        public static string BroadDirectory { get { return Path.Combine(Directory, "broad"); } }
    }
}
