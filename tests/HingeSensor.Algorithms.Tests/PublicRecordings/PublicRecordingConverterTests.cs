using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using HingeSensor.DevTools.Cli;
using HingeSensor.DevTools.Evaluation.PublicRecordings;
using HingeSensor.Host.IO;
using HingeSensor.Host.Recording;
using Xunit;

namespace HingeSensor.Algorithms.Tests.PublicRecordings
{
    /// <summary>
    /// The converters of the public recordings on small files written here in their layouts (no
    /// data of theirs): units, sensor mapping, time, labels, and clear errors for what is malformed.
    /// </summary>
    public sealed class PublicRecordingConverterTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "hinge-public-" + Guid.NewGuid().ToString("N"));

        public PublicRecordingConverterTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        private static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

        // A QSense export: five "key: value" lines, the header, an empty line, rows (the first tagged).
        private static void WriteQSense(string path, int rows, Func<int, double[]> sample)
        {
            var sb = new StringBuilder("Sensor string: E\nSerial number: 1970-01-0000\nFirmware version: 2,015\nHardware version: 2,2\nCalibration quality: 5\n");
            sb.Append("ax\tay\taz\tgx\tgy\tgz\tmx\tmy\tmz\n\n");
            for (int i = 0; i < rows; i++)
            {
                double[] s = sample(i);
                sb.Append(string.Join("\t", s.Select(F))).Append("\t0.3\t0.01\t-0.4").Append(i == 0 ? "\tReference\n" : "\n");
            }
            File.WriteAllText(path, sb.ToString());
        }

        private string Trial(string person, string name, int rows1, int rows3, bool info = true)
        {
            string trial = Path.Combine(_dir, "TrunkyXL", "data", person, "QSense", name);
            string back = Path.Combine(trial, "R", "Back");
            Directory.CreateDirectory(back);
            WriteQSense(Path.Combine(back, "Sensor 1.csv"), rows1, i => new[] { -0.9, 0.02, 0.45, 1.5, -0.5, 0.25 });
            WriteQSense(Path.Combine(back, "Sensor 2.csv"), rows1, i => new[] { 0.0, 0.0, 1.0, 0, 0, 0 });
            WriteQSense(Path.Combine(back, "Sensor 3.csv"), rows3, i => new[] { 0.1, -0.99, 0.05, -3, 0, 6 });
            if (info) File.WriteAllText(Path.Combine(trial, "info.txt"), "Start: 2023-01-25 16:50:35\nStop: 2023-01-25 16:51:19");
            return trial;
        }

        [Fact]
        public void A_TrunkyXL_trial_becomes_a_raw_recording_in_our_units_with_the_C7_sensor_standing_in_for_the_head()
        {
            string trial = Trial("807_pp02", "QSM_1", 120, 120);
            string raw = Path.Combine(_dir, "out.csv");
            PublicRecording r = TrunkyXlTrial.Convert(trial, raw);
            Assert.Equal("807_pp02/QSM_1", r.Name);
            Assert.Equal(119 / 50.0, r.DurationS, 6);
            var reader = new RawCsvReader(raw);
            Assert.Equal(50, reader.Metadata.RateHz);
            var rows = reader.Rows().Select(x => (x.TimeS, Head: x.Accel[0], Upper: x.Accel[1], Sacrum: x.Accel[2], SacrumGyro: x.Gyro[2], UpperGyro: x.Gyro[1], HeadGyro: x.Gyro[0])).ToList();
            Assert.Equal(120, rows.Count);
            Assert.Equal(0.02, rows[1].TimeS, 9);
            Assert.Equal(-0.9 * 9.80665, rows[5].Upper.X, 3);
            Assert.Equal(rows[5].Upper, rows[5].Head);
            Assert.Equal(rows[5].UpperGyro, rows[5].HeadGyro);
            Assert.Equal(-0.99 * 9.80665, rows[5].Sacrum.Y, 3);
            Assert.Equal(6 * Math.PI / 180, rows[5].SacrumGyro.Z, 5);
        }

        [Fact]
        public void Trials_that_cannot_be_used_say_why_and_a_repeated_recording_counts_once()
        {
            Trial("807_pp02", "QSM_1", 120, 120);
            Trial("807_pp02", "QSM_2", 120, 120); // the same samples under another name
            Trial("807_pp02", "QSM_3", 120, 100);
            Trial("807_pp02", "QSM_4", 120, 120, info: false);
            Directory.CreateDirectory(Path.Combine(_dir, "TrunkyXL", "data", "807_pp17", "QSense", "QSM_5", "Q", "Back"));
            var outcome = PublicRecordingEvaluation.Run(Path.Combine(_dir, "TrunkyXL"), null, Path.Combine(_dir, "work"));
            Assert.Equal(new[] { "807_pp02/QSM_1" }, outcome.Verdicts.Select(v => v.Name));
            string Why(string name) => outcome.Skipped.Single(s => s.Name == name).Reason;
            Assert.Contains("the same samples as 807_pp02/QSM_1", Why("807_pp02/QSM_2"));
            Assert.Contains("Sensor 1 has 120 samples and Sensor 3 100", Why("807_pp02/QSM_3"));
            Assert.Contains("no info.txt", Why("807_pp02/QSM_4"));
            Assert.Contains("orientations only", Why("807_pp17/QSM_5"));
            // 2.4 s: too short for a rest (1.5 s) and a neutral capture after it (2.5 s): no calibration, and nothing judged.
            RecordingVerdict v = outcome.Verdicts[0];
            Assert.False(v.Calibrated);
            Assert.Empty(v.Alerts);
            Assert.Empty(v.Reps);
        }

        [Fact]
        public void A_QSense_file_with_a_bad_number_or_no_header_is_refused_naming_the_file_and_line()
        {
            string path = Path.Combine(_dir, "Sensor 1.csv");
            WriteQSense(path, 5, i => new[] { 0.0, 0, 1, 0, 0, 0 });
            File.WriteAllText(path, File.ReadAllText(path).Replace("\n0\t0\t1\t0\t0\t0\t0.3", "\n0\tx\t1\t0\t0\t0\t0.3"));
            var e = Assert.Throws<DataFormatException>(() => QSenseSensorFile.Read(path));
            Assert.Contains("Sensor 1.csv:8: column 'ay' is not a number: 'x'", e.Message);
            File.WriteAllText(path, "Sensor string: E\n1\t2\t3\n");
            e = Assert.Throws<DataFormatException>(() => QSenseSensorFile.Read(path));
            Assert.Contains("not a QSense sensor export", e.Message);
        }

        private static string AraiHeader =>
            "ts_r,acc_x_r,acc_y_r,acc_z_r,temp_r,gyr_x_r,gyr_y_r,gyr_z_r,mag_x_r,mag_y_r,mag_z_r,kal_status_r,alpha_r,beta_r," +
            "ts_n,acc_x_n,acc_y_n,acc_z_n,temp_n,gyr_x_n,gyr_y_n,gyr_z_n,mag_x_n,mag_y_n,mag_z_n,kal_status_n,alpha_n,beta_n,label,label2";

        private static string AraiRow(int count, string label2, double neckGz) =>
            $"{count + 5},0.99,-0.08,-0.28,3792,0.3,-0.4,-0.3,-5,2,45,3,-17397,-14814,{count},1.0,-0.01,-0.07,3520,-1.1,1.8,{F(neckGz)},-134,-3506,1480,0,-705,1792,x,{label2}";

        [Fact]
        public void An_Arai_file_becomes_a_raw_recording_timed_by_its_sample_counter_with_the_labels_as_spans()
        {
            string dir = Path.Combine(_dir, "Wearables-Data-Analysis", "data", "labeled", "movement");
            Directory.CreateDirectory(dir);
            var sb = new StringBuilder(AraiHeader).Append('\n');
            for (int i = 0; i < 50; i++) sb.Append(AraiRow(1000 + i, i < 20 ? "staan-normaal" : "buiging-benen_gestrekt", i)).Append('\n');
            sb.Append(AraiRow(1049, "buiging-benen_gestrekt", 49)).Append('\n'); // the files end by repeating their last row
            File.WriteAllText(Path.Combine(dir, "a.csv"), sb.ToString());
            string file = AraiRecording.FindFiles(Path.Combine(_dir, "Wearables-Data-Analysis")).Single();
            PublicRecording r = AraiRecording.Convert(file, Path.Combine(_dir, "arai.csv"));
            Assert.Equal("movement", r.Name);
            Assert.Equal(new[] { new LabeledSpan("staan-normaal", 0, 0.8), new LabeledSpan("buiging-benen_gestrekt", 0.8, 2.0) }, r.Labels);
            var rows = new RawCsvReader(r.RawCsvPath).Rows().Select(x => (x.TimeS, Head: x.Gyro[0], Upper: x.Gyro[1], SacrumA: x.Accel[2])).ToList();
            Assert.Equal(50, rows.Count);
            Assert.Equal(0.04, rows[1].TimeS, 9);
            Assert.Equal(7 * Math.PI / 180, rows[7].Upper.Z, 5);
            Assert.Equal(rows[7].Upper, rows[7].Head);
            Assert.Equal(0.99 * 9.80665, rows[7].SacrumA.X, 3);
        }

        [Fact]
        public void An_Arai_file_without_a_column_is_refused_by_name()
        {
            string dir = Path.Combine(_dir, "arai");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "b.csv"), AraiHeader.Replace("gyr_z_n", "gyr_q_n") + "\n" + AraiRow(1, "staan", 0) + "\n");
            var e = Assert.Throws<DataFormatException>(() => AraiRecording.Convert(Path.Combine(dir, "b.csv"), Path.Combine(dir, "out.csv")));
            Assert.Contains("header has no column 'gyr_z_n'", e.Message);
        }

        [Fact]
        public void The_handedness_check_tells_a_mirrored_gyroscope_from_a_true_one()
        {
            // A sensor rocking about x: its vertical turns as u × ω when the gyroscope is true.
            var accel = new System.Collections.Generic.List<Numerics.Vector3>();
            var gyro = new System.Collections.Generic.List<Numerics.Vector3>();
            double angle = 0;
            for (int i = 0; i < 500; i++)
            {
                double w = 1.5 * Math.Cos(i * 0.05);
                // The world's up seen in a sensor turned by `angle` about x: (0, sin a, cos a).
                accel.Add(new Numerics.Vector3(0, (float)(9.81 * Math.Sin(angle)), (float)(9.81 * Math.Cos(angle))));
                gyro.Add(new Numerics.Vector3((float)w, 0, 0));
                angle += w / 50;
            }
            var (same, reversed) = GyroHandedness.Mismatch(accel, gyro, 50, 2);
            Assert.True(same * 10 < reversed, $"true gyroscope: {same} vs {reversed}");
            var mirrored = gyro.Select(g => -g).ToList();
            (same, reversed) = GyroHandedness.Mismatch(accel, mirrored, 50, 2);
            Assert.True(reversed * 10 < same, $"mirrored gyroscope: {same} vs {reversed}");
        }

        [Fact]
        public void Eval_public_without_any_recording_says_where_it_looked_and_how_to_get_them()
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = DevCli.Run(new[] { "eval", "public", "--trunkyxl", Path.Combine(_dir, "missing") }, stdout, stderr);
            Assert.Equal(2, code);
            Assert.Contains("--trunkyxl", stderr.ToString());
            Assert.Contains("no such directory", stderr.ToString());
        }
    }
}
