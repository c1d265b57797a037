using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HingeSensor.Host.Analysis;
using HingeSensor.Host.Recording;
using HingeSensor.Simulation;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>
    /// `hinge-dev eval detection`: every scenario of a suite, at each of its seeds, is simulated to a
    /// raw recording, analysed by the same code as `hinge analyze`, and scored against its labels.
    /// </summary>
    public static class DetectionEvaluation
    {
        public static (DetectionSummary Summary, IReadOnlyList<RecordingScore> Recordings) Run(string suiteDirectory, string? workDirectory = null, Action<string>? progress = null)
        {
            if (!Directory.Exists(suiteDirectory)) throw new DirectoryNotFoundException($"no suite directory {suiteDirectory}");
            var files = Directory.GetFiles(suiteDirectory, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new FileNotFoundException($"no scenario files (*.json) in {suiteDirectory}");
            var jobs = new List<(Scenario Scenario, int Seed, string Name)>();
            foreach (string f in files)
            {
                var (sc, _) = ScenarioLoader.Load(f);
                foreach (int seed in sc.Seeds) jobs.Add((sc, seed, $"{Path.GetFileNameWithoutExtension(f)}#{seed}"));
            }
            string work = workDirectory ?? Path.Combine(Path.GetTempPath(), "hinge-eval-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            var scores = new ConcurrentBag<(int Index, RecordingScore Score, double Duration)>();
            try
            {
                Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    var (sc, seed, name) = jobs[i];
                    string raw = Path.Combine(work, $"{i:D3}.csv");
                    string labelsPath = Path.Combine(work, $"{i:D3}.labels.json");
                    var sim = new WearerSimulation(sc, seed);
                    Labels labels = SimulatedRecording.Write(sim, raw, labelsPath);
                    // The per-sample angles are compared with the truth the simulator wrote beside the labels.
                    string anglesPath = Path.Combine(work, labels.TruthCsv!);
                    var angles = new AngleErrors(TruthAngleTrack.Read(anglesPath));
                    AnalysisResult result = RecordingAnalyzer.Analyze(raw, sampleProcessed: angles.OnSample);
                    scores.Add((i, DetectionScore.Score(name, result, labels, angles), labels.DurationS));
                    if (workDirectory == null) { File.Delete(raw); File.Delete(labelsPath); File.Delete(anglesPath); }
                    progress?.Invoke(name);
                });
            }
            finally
            {
                if (workDirectory == null && Directory.Exists(work)) Directory.Delete(work, true);
            }
            var ordered = scores.OrderBy(s => s.Index).Select(s => s.Score).ToList();
            return (DetectionSummary.From(ordered, scores.Sum(s => s.Duration)), ordered);
        }
    }
}
