using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace HingeSensor.DevTools.DeviceBuild
{
    /// <summary>
    /// Outputs of the toolkit's steps (compiler, MetadataProcessor) kept by the content of what
    /// decides them — the step, its arguments and its input files' bytes — so that the same step on
    /// the same inputs is copied instead of run again (each run starts a .NET process and JITs a
    /// compiler). Only successes are kept: a failing step always runs and speaks for itself. The
    /// test suite shares one between the device build and the device bench, which compile the same app.
    /// </summary>
    public sealed class NanoBuildCache
    {
        public NanoBuildCache(string directory)
        {
            Directory = directory;
        }

        public string Directory { get; }

        /// <summary>
        /// The key of a step: what it is, its arguments, and every input file's name and bytes (not
        /// its directory: the bench builds in a new scratch directory each run, and where a file
        /// lies changes nothing in the assembly or the .pe made of it).
        /// </summary>
        public static string Key(string step, IEnumerable<string> arguments, IEnumerable<string> inputFiles)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Add(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
            Add(step);
            foreach (string a in arguments) Add(a);
            foreach (string f in inputFiles)
            {
                Add(Path.GetFileName(f));
                hash.AppendData(File.ReadAllBytes(f));
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        /// <summary>Copies the output kept under <paramref name="key"/> to <paramref name="outputPath"/>; returns what the step said then, or null if nothing is kept.</summary>
        public ToolResult? Restore(string key, string outputPath)
        {
            string entry = Path.Combine(Directory, key);
            if (!System.IO.Directory.Exists(entry)) return null;
            string[] said = File.ReadAllText(Path.Combine(entry, "said")).Split('\0');
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            File.Copy(Path.Combine(entry, "output"), outputPath, true);
            // What the step printed named the output it wrote then.
            return new ToolResult(0, said[1].Replace(said[0], outputPath), said[2].Replace(said[0], outputPath));
        }

        /// <summary>Keeps a successful step's output (a step already kept by another thread is left as it is).</summary>
        public void Keep(string key, string outputPath, ToolResult result)
        {
            if (!result.Ok) return;
            string entry = Path.Combine(Directory, key);
            if (System.IO.Directory.Exists(entry)) return;
            string staging = Path.Combine(Directory, "staging-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(staging);
            File.Copy(outputPath, Path.Combine(staging, "output"));
            File.WriteAllText(Path.Combine(staging, "said"), outputPath + "\0" + result.Output + "\0" + result.Error);
            try
            {
                System.IO.Directory.Move(staging, entry);
            }
            catch (IOException) when (System.IO.Directory.Exists(entry))
            {
                System.IO.Directory.Delete(staging, true);
            }
        }
    }
}
