using System;
using System.Collections.Generic;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Host.Recording;

namespace HingeSensor.DevTools.Evaluation.PublicRecordings
{
    /// <summary>
    /// Whether a sensor's gyroscope turns the same way as its accelerometer's frame, from the data
    /// alone: in the sensor's frame a fixed vertical u turns as du/dt = u × ω. The mean squared
    /// mismatch of the measured vertical (the smoothed acceleration's direction) against u × ω and
    /// against −(u × ω): the right convention is the far smaller one. Needs movement to decide.
    /// </summary>
    public static class GyroHandedness
    {
        /// <summary>(error as recorded, error with the rotation reversed), (rad/s)² per sample.</summary>
        public static (double Same, double Reversed) Mismatch(IReadOnlyList<Vector3> accel, IReadOnlyList<Vector3> gyroRadS, double rateHz, int smoothHalfWidth)
        {
            int n = accel.Count;
            var up = new Vector3[n];
            for (int i = 0; i < n; i++)
            {
                Vector3 sum = Vector3.Zero;
                for (int j = Math.Max(0, i - smoothHalfWidth); j <= Math.Min(n - 1, i + smoothHalfWidth); j++) sum = sum + accel[j];
                up[i] = sum * (1f / sum.Length);
            }
            double same = 0, reversed = 0;
            for (int i = 1; i < n - 1; i++)
            {
                Vector3 du = (up[i + 1] - up[i - 1]) * (float)(rateHz / 2);
                Vector3 turn = Vector3.Cross(up[i], gyroRadS[i]);
                same += (du - turn).LengthSquared;
                reversed += (du + turn).LengthSquared;
            }
            int m = Math.Max(1, n - 2);
            return (same / m, reversed / m);
        }

        /// <summary>The mismatch of one sensor (0 head, 1 upper back, 2 sacrum) of a raw recording (docs/raw-csv.md).</summary>
        public static (double Same, double Reversed) OfRecording(string rawCsvPath, int sensor, double rateHz)
        {
            var accel = new List<Vector3>();
            var gyro = new List<Vector3>();
            foreach (RawRow row in new RawCsvReader(rawCsvPath).Rows())
            {
                accel.Add(row.Accel[sensor]);
                gyro.Add(row.Gyro[sensor]);
            }
            // ~0.1 s either side: enough to calm the accelerometer's jitter, short against a bend.
            return Mismatch(accel, gyro, rateHz, Math.Max(1, (int)Math.Round(rateHz / 10)));
        }
    }
}
