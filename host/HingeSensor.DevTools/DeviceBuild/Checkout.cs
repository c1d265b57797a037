using System;
using System.IO;

namespace HingeSensor.DevTools.DeviceBuild
{
    /// <summary>The checkout these tools were built from: the device sources, and ../shared (data, tools) beside it.</summary>
    public static class Checkout
    {
        /// <summary>The first parent of this program's directory, else of the current one, that holds HingeSensor.sln; null outside a checkout.</summary>
        public static string? FindRoot() => FindRoot(AppContext.BaseDirectory) ?? FindRoot(Directory.GetCurrentDirectory());

        /// <summary>The first parent of <paramref name="start"/> (itself included) that holds HingeSensor.sln.</summary>
        public static string? FindRoot(string start)
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
