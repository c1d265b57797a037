using System;
using System.Collections.Generic;
using System.IO;
using CsvHelper;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Host.IO;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>One row of a single-IMU recording in the BROAD CSV layout (see ../shared/data/broad/README.txt).</summary>
    public readonly record struct SingleImuRow(
        long Line, double TimeS, Vector3 Gyro, Vector3 Accel,
        bool HasReference, double RefW, double RefX, double RefY, double RefZ, bool Moving);

    /// <summary>
    /// Streams a single-IMU recording: t_s, gyr_x..z (rad/s), acc_x..z (m/s²), and optionally the
    /// reference quaternion ref_w..z (sensor → ENU; "nan" where tracking dropped out) and moving.
    /// Gzip or plain. Rows are read one at a time; nothing is held.
    /// </summary>
    public static class SingleImuRecording
    {
        private static readonly string[] Required = { "t_s", "gyr_x", "gyr_y", "gyr_z", "acc_x", "acc_y", "acc_z" };
        private static readonly string[] Reference = { "ref_w", "ref_x", "ref_y", "ref_z" };

        public static IEnumerable<SingleImuRow> Read(string path)
        {
            using Stream stream = InputFile.OpenRead(path);
            using CsvReader csv = CsvReader.Create(stream, CsvReaderOptions.Default with { Separator = ',', TrackLineNumbers = true });
            IReadOnlyList<string> headers = csv.Headers;
            int[] req = new int[Required.Length];
            for (int i = 0; i < Required.Length; i++)
            {
                req[i] = IndexOf(headers, Required[i]);
                if (req[i] < 0) throw new DataFormatException(path, 1, $"header has no column '{Required[i]}' (expected t_s,gyr_x,gyr_y,gyr_z,acc_x,acc_y,acc_z[,ref_w,ref_x,ref_y,ref_z][,moving])");
            }
            int[] refIdx = new int[4];
            bool hasRefColumns = true;
            for (int i = 0; i < 4; i++)
            {
                refIdx[i] = IndexOf(headers, Reference[i]);
                hasRefColumns &= refIdx[i] >= 0;
            }
            int movingIdx = IndexOf(headers, "moving");
            double lastT = double.NegativeInfinity;

            while (csv.Read())
            {
                long line = csv.LineNumber;
                double t = Number(csv, req[0], path, line, "t_s");
                if (!(t > lastT)) throw new DataFormatException(path, line, $"time {t} s does not increase (previous {lastT} s)");
                lastT = t;
                var gyr = new Vector3((float)Number(csv, req[1], path, line, "gyr_x"), (float)Number(csv, req[2], path, line, "gyr_y"), (float)Number(csv, req[3], path, line, "gyr_z"));
                var acc = new Vector3((float)Number(csv, req[4], path, line, "acc_x"), (float)Number(csv, req[5], path, line, "acc_y"), (float)Number(csv, req[6], path, line, "acc_z"));
                bool hasRef = false;
                double w = 0, x = 0, y = 0, z = 0;
                if (hasRefColumns)
                {
                    w = NumberOrNaN(csv, refIdx[0], path, line, "ref_w");
                    x = NumberOrNaN(csv, refIdx[1], path, line, "ref_x");
                    y = NumberOrNaN(csv, refIdx[2], path, line, "ref_y");
                    z = NumberOrNaN(csv, refIdx[3], path, line, "ref_z");
                    hasRef = double.IsFinite(w) && double.IsFinite(x) && double.IsFinite(y) && double.IsFinite(z);
                }
                bool moving = movingIdx < 0 || Number(csv, movingIdx, path, line, "moving") != 0;
                yield return new SingleImuRow(line, t, gyr, acc, hasRef, w, x, y, z, moving);
            }
        }

        private static int IndexOf(IReadOnlyList<string> headers, string name)
        {
            for (int i = 0; i < headers.Count; i++)
                if (string.Equals(headers[i].Trim(), name, StringComparison.Ordinal)) return i;
            return -1;
        }

        private static double Number(CsvReader csv, int index, string path, long line, string column)
        {
            double v = NumberOrNaN(csv, index, path, line, column);
            if (!double.IsFinite(v)) throw new DataFormatException(path, line, $"column '{column}' is not a finite number");
            return v;
        }

        private static double NumberOrNaN(CsvReader csv, int index, string path, long line, string column)
        {
            if (index >= csv.FieldCount) throw new DataFormatException(path, line, $"row has {csv.FieldCount} fields, column '{column}' is missing");
            if (!csv.TryParse(index, out double v)) throw new DataFormatException(path, line, $"column '{column}' is not a number");
            return v;
        }
    }
}
