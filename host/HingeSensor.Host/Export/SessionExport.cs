using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using CsvHelper;
using HingeSensor.Host.Storage;
using Parquet.Serialization;

namespace HingeSensor.Host.Export
{
    public enum ExportFormat { Csv, Parquet, Json }

    /// <summary>
    /// Writes a stored session for other tools. CSV and Parquet are tables, so a session becomes
    /// three of them beside each other (frames, reps, alerts: `name.csv`, `name.reps.csv`,
    /// `name.alerts.csv`); JSON is one document with everything, calibration included.
    /// </summary>
    public static partial class SessionExport
    {
        /// <summary>Exports and returns the files written.</summary>
        public static async Task<IReadOnlyList<string>> WriteAsync(StoredSession s, ExportFormat format, string path)
        {
            string dir = Path.GetDirectoryName(path) ?? "";
            if (dir.Length > 0) Directory.CreateDirectory(dir);
            string stem = Path.Combine(dir, Path.GetFileNameWithoutExtension(path));
            string ext = Path.GetExtension(path);
            var frames = s.Frames.Select(FrameRow.From).ToList();
            var reps = s.Reps.Select(RepRow.From).ToList();
            var alerts = s.Alerts.Select(AlertRow.From).ToList();
            switch (format)
            {
                case ExportFormat.Json:
                    await Replace(path, f => JsonSerializer.SerializeAsync(f, new
                        {
                            session = s.Summary, height_cm = s.HeightCm, thresholds_deg = s.ThresholdsDeg, back_rounding_percent_of_range = s.BackRoundingPercentOfRange, calibration = s.Calibration,
                            reps, alerts, frames,
                        }, Json));
                    return new[] { path };
                case ExportFormat.Csv:
                    WriteCsv(path, frames);
                    WriteCsv($"{stem}.reps{ext}", reps);
                    WriteCsv($"{stem}.alerts{ext}", alerts);
                    return new[] { path, $"{stem}.reps{ext}", $"{stem}.alerts{ext}" };
                default:
                    await WriteParquet(path, frames);
                    await WriteParquet($"{stem}.reps{ext}", reps);
                    await WriteParquet($"{stem}.alerts{ext}", alerts);
                    return new[] { path, $"{stem}.reps{ext}", $"{stem}.alerts{ext}" };
            }
        }

        private static readonly JsonSerializerOptions Json = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };

        private static void WriteCsv<T>(string path, List<T> rows) => Replace(path, f =>
        {
            using var w = new StreamWriter(f);
            using CsvWriter csv = CsvWriter.Create(w, CsvWriterOptions.Default with { NewLine = "\n" });
            csv.WriteRecords(rows);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

        private static Task WriteParquet<T>(string path, List<T> rows) where T : new() =>
            Replace(path, f => ParquetSerializer.SerializeAsync(rows, f));

        // Written beside the target and renamed over it: a failed export never leaves half a file
        // where a good one was (or an empty one where none was).
        private static async Task Replace(string path, Func<Stream, Task> write)
        {
            string temp = path + ".partial";
            try
            {
                await using (FileStream f = File.Create(temp)) await write(f);
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        private static double? N(double v) => double.IsNaN(v) ? null : Math.Round(v, 3);
        private static double? N(float v) => float.IsNaN(v) ? null : Math.Round(v, 2);

        /// <summary>One recorded frame: segment angles and the flexions the report plots.</summary>
        [CsvRecord]
        public sealed partial class FrameRow
        {
            [CsvColumn("time_s"), JsonPropertyName("time_s")]
            public double TimeS { get; set; }
            [CsvColumn("head_sagittal_deg"), JsonPropertyName("head_sagittal_deg")]
            public double? HeadSagittalDeg { get; set; }
            [CsvColumn("head_lateral_deg"), JsonPropertyName("head_lateral_deg")]
            public double? HeadLateralDeg { get; set; }
            [CsvColumn("upper_back_sagittal_deg"), JsonPropertyName("upper_back_sagittal_deg")]
            public double? UpperBackSagittalDeg { get; set; }
            [CsvColumn("upper_back_lateral_deg"), JsonPropertyName("upper_back_lateral_deg")]
            public double? UpperBackLateralDeg { get; set; }
            [CsvColumn("sacrum_sagittal_deg"), JsonPropertyName("sacrum_sagittal_deg")]
            public double? SacrumSagittalDeg { get; set; }
            [CsvColumn("sacrum_lateral_deg"), JsonPropertyName("sacrum_lateral_deg")]
            public double? SacrumLateralDeg { get; set; }
            [CsvColumn("trunk_flexion_deg"), JsonPropertyName("trunk_flexion_deg")]
            public double? TrunkFlexionDeg { get; set; }
            [CsvColumn("head_flexion_deg"), JsonPropertyName("head_flexion_deg")]
            public double? HeadFlexionDeg { get; set; }
            [CsvColumn("valid_mask"), JsonPropertyName("valid_mask")]
            public int ValidMask { get; set; }

            public static FrameRow From(StoredFrame f) => new()
            {
                TimeS = Math.Round(f.TimeS, 3), HeadSagittalDeg = N(f.HeadSag), HeadLateralDeg = N(f.HeadLat), UpperBackSagittalDeg = N(f.UpperSag),
                UpperBackLateralDeg = N(f.UpperLat), SacrumSagittalDeg = N(f.SacrumSag), SacrumLateralDeg = N(f.SacrumLat),
                TrunkFlexionDeg = N(f.TrunkFlexion), HeadFlexionDeg = N(f.HeadFlexion), ValidMask = f.Valid,
            };
        }

        [CsvRecord]
        public sealed partial class RepRow
        {
            [CsvColumn("number"), JsonPropertyName("number")]
            public int Number { get; set; }
            [CsvColumn("counted"), JsonPropertyName("counted")]
            public bool Counted { get; set; }
            [CsvColumn("start_s"), JsonPropertyName("start_s")]
            public double StartS { get; set; }
            [CsvColumn("end_s"), JsonPropertyName("end_s")]
            public double EndS { get; set; }
            [CsvColumn("depth_deg"), JsonPropertyName("depth_deg")]
            public double? DepthDeg { get; set; }
            [CsvColumn("descent_s"), JsonPropertyName("descent_s")]
            public double? DescentS { get; set; }
            [CsvColumn("bottom_s"), JsonPropertyName("bottom_s")]
            public double? BottomS { get; set; }
            [CsvColumn("ascent_s"), JsonPropertyName("ascent_s")]
            public double? AscentS { get; set; }
            [CsvColumn("max_trunk_flexion_deg"), JsonPropertyName("max_trunk_flexion_deg")]
            public double? MaxTrunkFlexionDeg { get; set; }
            [CsvColumn("max_head_flexion_deg"), JsonPropertyName("max_head_flexion_deg")]
            public double? MaxHeadFlexionDeg { get; set; }
            [CsvColumn("min_head_flexion_deg"), JsonPropertyName("min_head_flexion_deg")]
            public double? MinHeadFlexionDeg { get; set; }
            [CsvColumn("max_hinge_deg"), JsonPropertyName("max_hinge_deg")]
            public double? MaxHingeDeg { get; set; }
            [CsvColumn("faults"), JsonPropertyName("faults")]
            public string Faults { get; set; } = "";

            public static RepRow From(StoredRep r) => new()
            {
                Number = r.Number, Counted = r.Counted, StartS = Math.Round(r.StartS, 3), EndS = Math.Round(r.EndS, 3), DepthDeg = N(r.DepthDeg), DescentS = N(r.DescentS),
                BottomS = N(r.BottomS), AscentS = N(r.AscentS), MaxTrunkFlexionDeg = N(r.MaxTrunkFlexionDeg), MaxHeadFlexionDeg = N(r.MaxHeadFlexionDeg),
                MinHeadFlexionDeg = N(r.MinHeadFlexionDeg), MaxHingeDeg = N(r.MaxHingeDeg), Faults = string.Join(";", r.Faults),
            };
        }

        [CsvRecord]
        public sealed partial class AlertRow
        {
            [CsvColumn("fault"), JsonPropertyName("fault")]
            public string Fault { get; set; } = "";
            [CsvColumn("onset_s"), JsonPropertyName("onset_s")]
            public double? OnsetS { get; set; }
            [CsvColumn("start_s"), JsonPropertyName("start_s")]
            public double StartS { get; set; }
            [CsvColumn("end_s"), JsonPropertyName("end_s")]
            public double EndS { get; set; }
            [CsvColumn("peak_deg"), JsonPropertyName("peak_deg")]
            public double PeakDeg { get; set; }
            [CsvColumn("corrected"), JsonPropertyName("corrected")]
            public bool Corrected { get; set; }

            public static AlertRow From(StoredAlert a) => new()
            {
                Fault = a.Fault, OnsetS = N(a.OnsetS), StartS = Math.Round(a.StartS, 3), EndS = Math.Round(a.EndS, 3), PeakDeg = Math.Round(a.PeakDeg, 2), Corrected = a.Corrected,
            };
        }
    }
}
