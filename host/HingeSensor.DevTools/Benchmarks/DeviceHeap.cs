using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace HingeSensor.DevTools.Benchmarks
{
    /// <summary>One type's share of the device heap (the census).</summary>
    public sealed record HeapType(string Name, int Objects, long Esp32Bytes);

    /// <summary>
    /// The managed heap the firmware core keeps for as long as it runs, on the ESP32.
    /// <para>The interpreter here measures its own heap (24-byte blocks, pointers twice the
    /// device's); the bench app's census (firmware/HingeSensor.Nano.Bench/HeapCensus.cs) walks the
    /// core's objects on the same run and sums them under nanoCLR's layout for both block sizes.
    /// Its 64-bit sum must agree with the interpreter's figure (<see cref="CensusAgrees"/>) before
    /// its ESP32 sum is believed.</para>
    /// <para>The session table grows with the sessions stored, so the figure that counts is the
    /// one with a full table: the census's figure plus one measured entry for each session the
    /// run did not have.</para>
    /// <para>What the app may use is the ESP32's managed heap with BLE running, pessimistically
    /// 80 KB (the issue's 80–110 KB), less the loaded assemblies' tables, which nanoCLR keeps in
    /// the same heap and prints when it loads the whole device app here (an upper bound: 64-bit
    /// pointers and 24-byte static slots).</para>
    /// </summary>
    public sealed record HeapFigures(long MeasuredHere, long CensusHere, long Esp32, int Sessions, int MaxSessions,
        long SessionEntryEsp32, long AssemblyTables, IReadOnlyList<HeapType> Types)
    {
        public const long EspManagedHeapBytes = 80 * 1024;

        /// <summary>The census's 64-bit sum may exceed the interpreter's by what was made before the measurement started (the parts and their settings); it may not fall short by much.</summary>
        public const double CensusTolerance = 0.10;

        public long Esp32FullTable => Esp32 + Math.Max(0, MaxSessions - Sessions) * SessionEntryEsp32;

        /// <summary>What the app may use: the heap less the runtime's assembly tables.</summary>
        public long AppShare => EspManagedHeapBytes - AssemblyTables;

        public long FreeMargin => AppShare - Esp32FullTable;

        public double FreeMarginOfAppShare => (double)FreeMargin / AppShare;

        public double FreeMarginOfHeap => (double)FreeMargin / EspManagedHeapBytes;

        public double CensusError => MeasuredHere == 0 ? double.NaN : (double)(CensusHere - MeasuredHere) / MeasuredHere;

        public bool CensusAgrees => Math.Abs(CensusError) <= CensusTolerance;
    }

    internal static class DeviceHeap
    {
        public const string CensusScenario = "live_recording";

        /// <summary>Reads the census lines ("CENSUS key value", "CENSUS type name count bytes") of a census run.</summary>
        public static (Dictionary<string, long> Values, List<HeapType> Types) ParseCensus(string output)
        {
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            var types = new List<HeapType>();
            foreach (string raw in output.Split('\n'))
            {
                string[] p = raw.Trim().Split(' ');
                if (p.Length < 3 || p[0] != "CENSUS") continue;
                if (p[1] == "type" && p.Length == 5)
                    types.Add(new HeapType(p[2], int.Parse(p[3], CultureInfo.InvariantCulture), long.Parse(p[4], CultureInfo.InvariantCulture)));
                else if (p.Length == 3 && long.TryParse(p[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
                    values[p[1]] = v;
            }
            foreach (string key in new[] { "esp32_bytes", "here_bytes", "sessions", "max_sessions" })
                if (!values.ContainsKey(key)) throw new DeviceBenchException($"the heap census printed no {key}");
            return (values, types.OrderByDescending(t => t.Esp32Bytes).ToList());
        }

        private static readonly Regex TotalLine = new(@"Total: \((\d+) RAM", RegexOptions.Compiled);

        /// <summary>
        /// Loads <paramref name="pes"/> on nanoCLR and reads the "Total: (N RAM ..." line it prints
        /// once every assembly is loaded. The device app cannot run here (its GPIO, I2C and BLE
        /// natives are absent) and the interpreter then waits: it is stopped once the line is in.
        /// </summary>
        public static long AssemblyTables(string interpreter, IReadOnlyList<string> pes, TimeSpan timeout)
        {
            var psi = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string pe in pes) psi.ArgumentList.Add(pe);
            var total = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var seen = new StringBuilder();
            void Line(object _, DataReceivedEventArgs e)
            {
                if (e.Data == null) return;
                lock (seen) seen.AppendLine(e.Data);
                Match m = TotalLine.Match(e.Data);
                if (m.Success) total.TrySetResult(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }
            using var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
            p.OutputDataReceived += Line;
            p.ErrorDataReceived += Line;
            p.Exited += (_, _) => total.TrySetException(new DeviceBenchException("nanoCLR exited without printing its assembly totals loading the device app"));
            p.Start();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            try
            {
                if (!total.Task.Wait(timeout)) throw new DeviceBenchException($"nanoCLR printed no assembly totals within {timeout} loading the device app:\n{seen}");
                return total.Task.Result;
            }
            catch (AggregateException e) when (e.InnerException is DeviceBenchException inner)
            {
                throw new DeviceBenchException(inner.Message + ":\n" + seen);
            }
            finally
            {
                try { if (!p.HasExited) p.Kill(true); } catch (InvalidOperationException) { }
            }
        }
    }
}
