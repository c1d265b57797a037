using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HingeSensor.DevTools.Benchmarks.ServerLoad
{
    /// <summary>
    /// CPU seconds and memory of a process and, optionally, all its children (PostgreSQL: the
    /// postmaster and its backends), read from /proc. CPU counts the children that have ended too
    /// (their time is added to the parent's cutime/cstime when it reaps them). Memory is the
    /// proportional set size summed over the processes (smaps_rollup Pss: shared buffers counted
    /// once, not once per backend), sampled every 100 ms while <see cref="RunAsync"/> runs; the peak
    /// of those samples is reported.
    /// </summary>
    public sealed class ProcessMeter
    {
        private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

        private readonly int _pid;
        private readonly bool _withChildren;
        private long _peakBytes;

        public ProcessMeter(int pid, bool withChildren)
        {
            _pid = pid;
            _withChildren = withChildren;
        }

        public double CpuSeconds()
        {
            double ticks = 0;
            foreach (int p in Processes())
            {
                string[] f = Stat(p);
                if (f.Length < 17) continue;
                // Fields after the command: [11] utime, [12] stime, [13] cutime, [14] cstime (0-based after "(comm)").
                ticks += long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
                if (p == _pid && _withChildren) ticks += long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
            }
            return ticks / TicksPerSecond;
        }

        /// <summary>The highest memory sampled since the last call (bytes).</summary>
        public long TakePeakBytes() => Interlocked.Exchange(ref _peakBytes, MemoryBytes());

        /// <summary>Samples memory until cancelled.</summary>
        public async Task RunAsync(CancellationToken ct)
        {
            Interlocked.Exchange(ref _peakBytes, MemoryBytes());
            while (!ct.IsCancellationRequested)
            {
                long now = MemoryBytes();
                long peak;
                do peak = Interlocked.Read(ref _peakBytes);
                while (now > peak && Interlocked.CompareExchange(ref _peakBytes, now, peak) != peak);
                try { await Task.Delay(100, ct); }
                catch (OperationCanceledException) { return; }
            }
        }

        private long MemoryBytes()
        {
            long kb = 0;
            foreach (int p in Processes())
            {
                try
                {
                    foreach (string line in File.ReadLines($"/proc/{p}/smaps_rollup"))
                        if (line.StartsWith("Pss:", StringComparison.Ordinal))
                            kb += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
                catch (IOException) { } // ended meanwhile
                catch (UnauthorizedAccessException) { }
            }
            return kb * 1024;
        }

        private IEnumerable<int> Processes()
        {
            yield return _pid;
            if (!_withChildren) yield break;
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int p) || p == _pid) continue;
                string[] f = Stat(p);
                if (f.Length > 1 && f[1] == _pid.ToString(CultureInfo.InvariantCulture)) yield return p;
            }
        }

        // /proc/PID/stat after the "(command)" field, split: [0] state, [1] ppid, … (an ended process: empty).
        private static string[] Stat(int pid)
        {
            try
            {
                string s = File.ReadAllText($"/proc/{pid}/stat");
                return s[(s.LastIndexOf(')') + 2)..].Split(' ');
            }
            catch (IOException) { return Array.Empty<string>(); }
        }
    }
}
