using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace HingeSensor.DevTools.Benchmarks.ServerLoad
{
    /// <summary>The requests of one load step: latency per request kind, and the errors, by kind, with the first few messages.</summary>
    public sealed class LatencyLog
    {
        private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _ms = new();
        private readonly ConcurrentDictionary<string, int> _errors = new();
        private readonly ConcurrentQueue<string> _examples = new();

        public void Record(string kind, double ms) => _ms.GetOrAdd(kind, _ => new ConcurrentBag<double>()).Add(ms);

        public void Error(string kind, string message)
        {
            _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
            if (_examples.Count < 5) _examples.Enqueue($"{kind}: {message}");
        }

        public int Requests => _ms.Values.Sum(b => b.Count);
        public int Errors => _errors.Values.Sum();
        public IReadOnlyDictionary<string, int> ErrorsByKind => _errors;
        public IReadOnlyList<string> ErrorExamples => _examples.ToList();

        public IReadOnlyList<KindFigures> Kinds => _ms.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k =>
        {
            double[] v = k.Value.ToArray();
            Array.Sort(v);
            return new KindFigures(k.Key, v.Length, Percentile(v, 0.50), Percentile(v, 0.95), Percentile(v, 0.99), v.Length == 0 ? 0 : v[^1]);
        }).ToList();

        // Nearest rank: the smallest value with at least p of the values at or below it.
        private static double Percentile(double[] sorted, double p) =>
            sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public sealed record KindFigures(string Kind, int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs);
}
