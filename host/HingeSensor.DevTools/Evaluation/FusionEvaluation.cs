using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CsvHelper;
using HingeSensor.Algorithms.Fusion;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Host.IO;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>The result of running the filter over one recording.</summary>
    public sealed record FusionTrialResult(string Stem, string InputPath, string OutputPath, long Rows, long ScoredRows, double? InclinationRmseDeg);

    /// <summary>
    /// Runs <see cref="OrientationFilter"/> over single-IMU recordings, writes each estimate as
    /// CSV (t_s,w,x,y,z, sensor → Earth) and scores it against a reference where there is one.
    /// </summary>
    public static class FusionEvaluation
    {
        /// <summary>The recordings named by a file or directory (*.csv and *.csv.gz), sorted by name.</summary>
        public static IReadOnlyList<string> FindInputs(string fileOrDirectory)
        {
            if (File.Exists(fileOrDirectory)) return new[] { fileOrDirectory };
            if (!Directory.Exists(fileOrDirectory)) throw new FileNotFoundException($"no such file or directory: {fileOrDirectory}");
            var files = new List<string>();
            foreach (string f in Directory.EnumerateFiles(fileOrDirectory))
                if (f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase))
                    files.Add(f);
            files.Sort(StringComparer.Ordinal);
            if (files.Count == 0) throw new FileNotFoundException($"no .csv or .csv.gz recordings in {fileOrDirectory}");
            return files;
        }

        /// <summary>
        /// Runs the filter over one recording. With <paramref name="correctIntervalS"/> 0 every
        /// sample is integrated and corrected (<see cref="OrientationFilter.Update(float, float, float, float, float, float, float, bool, bool)"/>);
        /// above 0 it runs as on the device: every sample integrated, corrected once that much time
        /// has gathered; the estimate is written and scored at every sample either way.
        /// </summary>
        public static FusionTrialResult Run(string inputPath, string outputDirectory, FusionSettings? settings = null, double correctIntervalS = 0)
        {
            Directory.CreateDirectory(outputDirectory);
            string stem = InputFile.Stem(inputPath);
            string outputPath = Path.Combine(outputDirectory, stem + ".csv");
            var filter = new OrientationFilter(settings ?? new FusionSettings());

            long rows = 0, scored = 0;
            double sumSq = 0;
            double lastT = double.NaN;
            double gathered = 0;
            using (var outStream = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (CsvWriter csv = CsvWriter.Create(outStream, CsvWriterOptions.Default with { NewLine = "\n" }))
            {
                csv.WriteHeader(new[] { "t_s", "w", "x", "y", "z" });
                foreach (SingleImuRow row in SingleImuRecording.Read(inputPath))
                {
                    // The first row only initialises the filter (its dt is unused); later rows step
                    // it by their own spacing, so irregular sampling is handled as it comes.
                    float dt = double.IsNaN(lastT) ? 1f : (float)(row.TimeS - lastT);
                    lastT = row.TimeS;
                    Vector3 g = row.Gyro, a = row.Accel;
                    filter.Integrate(g.X, g.Y, g.Z, a.X, a.Y, a.Z, dt, false, false);
                    gathered += dt;
                    if (correctIntervalS <= 0 || gathered + 1e-7 >= correctIntervalS)
                    {
                        gathered = 0;
                        filter.Correct();
                    }
                    // Scored at every sample: the orientation is current after each one, as the
                    // device's decision reads it.
                    Quaternion q = filter.Orientation;
                    csv.WriteField(row.TimeS, "R", CultureInfo.InvariantCulture);
                    csv.WriteField(q.W, "", CultureInfo.InvariantCulture);
                    csv.WriteField(q.X, "", CultureInfo.InvariantCulture);
                    csv.WriteField(q.Y, "", CultureInfo.InvariantCulture);
                    csv.WriteField(q.Z, "", CultureInfo.InvariantCulture);
                    csv.EndRecord();
                    rows++;
                    if (row.HasReference && row.Moving)
                    {
                        double e = InclinationError.Degrees(q, row.RefW, row.RefX, row.RefY, row.RefZ);
                        sumSq += e * e;
                        scored++;
                    }
                }
            }
            double? rmse = scored > 0 ? Math.Sqrt(sumSq / scored) : null;
            return new FusionTrialResult(stem, inputPath, outputPath, rows, scored, rmse);
        }
    }
}
