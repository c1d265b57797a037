using System;
using System.Collections.Generic;
using System.IO;
using HingeSensor.Host.Recording;

namespace HingeSensor.DevTools.Evaluation.PublicRecordings
{
    /// <summary>
    /// One QSense trial of the TrunkyXL study (github:CarmenEnsink/TrunkyXL): participants seated on
    /// a stool bend forward and back, sideways and twist, three times each, with IMUs below C7
    /// ("Sensor 1"), at T10 ("Sensor 2") and on the sacrum at L4/5 ("Sensor 3"), 50 Hz (the study's
    /// own import code names them so). There is no head sensor: the head columns repeat the C7
    /// sensor, so the head's own flexion reads zero and chin drop / head up cannot be judged here.
    /// </summary>
    public static class TrunkyXlTrial
    {
        public const double RateHz = 50;
        public const string Mapping = "upper back = Sensor 1 (below C7); sacrum = Sensor 3 (L4/5); head = Sensor 1 again (no head sensor); T10 unused";

        /// <summary>A trial folder that cannot be used, and why.</summary>
        public sealed record Skipped(string Name, string Reason);

        /// <summary>The trial folders under the dataset's data/ folder, usable or not (in name order).</summary>
        public static List<string> FindTrials(string datasetRoot)
        {
            string data = Path.Combine(datasetRoot, "data");
            if (!Directory.Exists(data)) throw new DirectoryNotFoundException($"{datasetRoot}: no data/ folder (clone github:CarmenEnsink/TrunkyXL there)");
            var trials = new List<string>();
            foreach (string person in Directory.GetDirectories(data))
            {
                string qsense = Path.Combine(person, "QSense");
                if (Directory.Exists(qsense)) trials.AddRange(Directory.GetDirectories(qsense, "QSM_*"));
            }
            trials.Sort(StringComparer.Ordinal);
            return trials;
        }

        /// <summary>The trial's name: participant/trial, e.g. "807_pp02/QSM_20230125165354".</summary>
        public static string NameOf(string trialDir) =>
            Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(trialDir)!)!) + "/" + Path.GetFileName(trialDir);

        /// <summary>Why a trial folder cannot be converted, or null when it can.</summary>
        public static string? Unusable(string trialDir)
        {
            string back = Path.Combine(trialDir, "R", "Back");
            if (!File.Exists(Path.Combine(back, "Sensor 1.csv")) || !File.Exists(Path.Combine(back, "Sensor 3.csv")))
                return Directory.Exists(Path.Combine(trialDir, "Q")) ? "exported as orientations only (Q/), no raw acceleration and rate" : "no R/Back/Sensor 1.csv and Sensor 3.csv";
            if (!File.Exists(Path.Combine(trialDir, "info.txt"))) return "no info.txt: not a finished QSense recording";
            return null;
        }

        /// <summary>
        /// The trial's measured content (its two sensors' files, hashed): the dataset holds one
        /// recording under two folder names, and it must count once.
        /// </summary>
        public static string ContentKey(string trialDir)
        {
            string back = Path.Combine(trialDir, "R", "Back");
            using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            sha.AppendData(File.ReadAllBytes(Path.Combine(back, "Sensor 1.csv")));
            sha.AppendData(File.ReadAllBytes(Path.Combine(back, "Sensor 3.csv")));
            return System.Convert.ToHexString(sha.GetHashAndReset());
        }

        /// <summary>Converts a trial to raw format v1 at <paramref name="outPath"/> (plain CSV).</summary>
        public static PublicRecording Convert(string trialDir, string outPath)
        {
            string back = Path.Combine(trialDir, "R", "Back");
            QSenseSensorFile upper = QSenseSensorFile.Read(Path.Combine(back, "Sensor 1.csv"));
            QSenseSensorFile sacrum = QSenseSensorFile.Read(Path.Combine(back, "Sensor 3.csv"));
            if (upper.Rows.Count != sacrum.Rows.Count)
                throw new Host.IO.DataFormatException(back, 0, $"Sensor 1 has {upper.Rows.Count} samples and Sensor 3 {sacrum.Rows.Count}: not one lockstep recording");
            string name = NameOf(trialDir);
            var meta = new List<KeyValuePair<string, string>>
            {
                new("source", "TrunkyXL " + name),
                new("mapping", Mapping),
                new("setting", "seated on a stool: flexion-extension, lateroflexion, rotation"),
                new("rate_hz", "50"),
            };
            using (FileStream file = File.Create(outPath))
            using (var writer = new RawCsvWriter(file, meta))
            {
                var values = new double[18];
                for (int i = 0; i < upper.Rows.Count; i++)
                {
                    float[] u = upper.Rows[i], s = sacrum.Rows[i];
                    UnitConversion.Fill(values.AsSpan(0, 6), u[0], u[1], u[2], u[3], u[4], u[5]);
                    UnitConversion.Fill(values.AsSpan(6, 6), u[0], u[1], u[2], u[3], u[4], u[5]);
                    UnitConversion.Fill(values.AsSpan(12, 6), s[0], s[1], s[2], s[3], s[4], s[5]);
                    writer.Write(i / RateHz, values);
                }
            }
            return new PublicRecording("TrunkyXL", name, outPath, (upper.Rows.Count - 1) / RateHz, Mapping)
            {
                Setting = "seated on a stool (no arm- or backrest): bend forward and back, sideways, twist — 3 times each",
            };
        }
    }
}
