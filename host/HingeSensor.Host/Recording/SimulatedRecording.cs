using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using CsvHelper;
using HingeSensor.Host.IO;
using HingeSensor.Simulation;
using HingeSensor.Simulation.Choreography;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.Host.Recording
{
    /// <summary>Writes a simulated recording as raw CSV v1 (with its calibration windows as metadata), its labels as JSON and the true angles as CSV.</summary>
    public static class SimulatedRecording
    {
        public static Labels Write(WearerSimulation sim, string rawCsvPath, string? labelsPath)
        {
            string? anglesPath = labelsPath == null ? null : Path.ChangeExtension(labelsPath, null) + ".angles.csv";
            var meta = new List<KeyValuePair<string, string>>
            {
                new("format", "hingesensor-raw-v1"),
                new("scenario", sim.Scenario.Name),
                new("seed", sim.Seed.ToString(CultureInfo.InvariantCulture)),
                new("rate_hz", sim.Scenario.RateHz.ToString(CultureInfo.InvariantCulture)),
                new("height_cm", sim.Person.HeightCm.ToString(CultureInfo.InvariantCulture)),
                new("accel_range_g", sim.ChipConfig.AccelRangeG.ToString(CultureInfo.InvariantCulture)),
                new("gyro_range_dps", sim.ChipConfig.GyroRangeDps.ToString(CultureInfo.InvariantCulture)),
            };
            AddWindow(meta, "neutral", sim.Window(ActivityKind.CalibrateNeutral, 0.5));
            AddWindow(meta, "hinge_calibration", sim.Window(ActivityKind.CalibrateHinge, 0));
            AddWindow(meta, "range_calibration", sim.Window(ActivityKind.ToeTouch, 0));

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(rawCsvPath))!);
            using (var raw = new FileStream(rawCsvPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new RawCsvWriter(raw, meta))
            using (var angleStream = anglesPath != null ? new FileStream(anglesPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16) : null)
            using (CsvWriter? angles = angleStream != null ? CsvWriter.Create(angleStream, CsvWriterOptions.Default with { NewLine = "\n" }) : null)
            {
                angles?.WriteHeader(new[] { "t_s", "head_sag_deg", "head_lat_deg", "upper_sag_deg", "upper_lat_deg", "sacrum_sag_deg", "sacrum_lat_deg", "trunk_flexion_deg", "head_flexion_deg" });
                Span<double> values = stackalloc double[18];
                foreach (SimulatedRow row in sim.Rows())
                {
                    for (int s = 0; s < 3; s++)
                    {
                        values[6 * s + 0] = row.Imu.Accel[s].X; values[6 * s + 1] = row.Imu.Accel[s].Y; values[6 * s + 2] = row.Imu.Accel[s].Z;
                        values[6 * s + 3] = row.Imu.Gyro[s].X; values[6 * s + 4] = row.Imu.Gyro[s].Y; values[6 * s + 5] = row.Imu.Gyro[s].Z;
                    }
                    writer.Write(row.Imu.TimeS, values);
                    if (angles != null)
                    {
                        TruthAngles a = row.Truth;
                        angles.WriteField(row.Imu.TimeS, "0.#####", CultureInfo.InvariantCulture);
                        foreach (double v in new[] { a.HeadSag, a.HeadLat, a.UpperSag, a.UpperLat, a.SacrumSag, a.SacrumLat, a.TrunkFlexion, a.HeadFlexion })
                            angles.WriteField(v, "0.###", CultureInfo.InvariantCulture);
                        angles.EndRecord();
                    }
                }
            }
            Labels labels = sim.Labels;
            if (labelsPath != null)
            {
                labels.TruthCsv = Path.GetFileName(anglesPath);
                File.WriteAllText(labelsPath, JsonSerializer.Serialize(labels, JsonOutput.Options));
            }
            return labels;
        }

        private static void AddWindow(List<KeyValuePair<string, string>> meta, string key, double[]? w)
        {
            if (w == null) return;
            meta.Add(new(key, w[0].ToString("0.###", CultureInfo.InvariantCulture) + "-" + w[1].ToString("0.###", CultureInfo.InvariantCulture)));
        }

        public static Labels ReadLabels(string path) =>
            JsonSerializer.Deserialize<Labels>(File.ReadAllText(path), JsonOutput.Options) ?? throw new InvalidDataException($"{path}: empty labels");
    }
}
