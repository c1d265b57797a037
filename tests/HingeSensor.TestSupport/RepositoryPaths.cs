using System;
using System.IO;
using System.Reflection;

namespace HingeSensor.TestSupport
{
    /// <summary>Paths the build baked into this assembly (see the .csproj).</summary>
    public static class RepositoryPaths
    {
        public static string Root { get { return Metadata("RepositoryRoot"); } }

        public static string NanoMscorlib { get { return Metadata("NanoMscorlib"); } }

        public static string InRepo(params string[] parts)
        {
            string p = Root;
            foreach (string part in parts) p = Path.Combine(p, part);
            return p;
        }

        private static string Metadata(string key)
        {
            foreach (AssemblyMetadataAttribute a in typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
                if (a.Key == key && a.Value != null) return a.Value;
            throw new InvalidOperationException($"assembly metadata '{key}' missing");
        }
    }
}
