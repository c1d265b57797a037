using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link.Virtual;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Storage;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Models;
using Microsoft.Data.Sqlite;

namespace HingeSensor.DevTools.Benchmarks
{
    /// <summary>
    /// The host's figures: SQLite ingest (against a bare insert of the same rows in the same run),
    /// download throughput against the link's payload capacity, and `hinge demo`'s wall time.
    /// </summary>
    public static class HostBenchmark
    {
        public sealed record Ingest(int Sessions, long Frames, double ImportS, double BareS);

        public sealed record Download(int Mtu, int Bytes, double DeviceSeconds, double CapacityBytesPerS)
        {
            public double BytesPerS => Bytes / DeviceSeconds;
            public double Ratio => BytesPerS / CapacityBytesPerS;
        }

        /// <summary>Records one session on the virtual device (unpaced) and returns its flash directory and id.</summary>
        public static async Task<(string FlashDir, int SessionId, byte[] Bytes)> RecordAsync(string dir, double seconds, int rateHz)
        {
            string flash = Path.Combine(dir, "flash");
            var (scenario, _) = ScenarioLoader.Load("demo");
            using var host = new VirtualDeviceHost(scenario, scenario.Seeds[0], new DirectoryFileStore(flash), 0);
            host.Start();
            int id;
            await using (DeviceConnection d = await DeviceConnection.OpenAsync(new VirtualDeviceLink(host, 247), false, CancellationToken.None, host, "virtual"))
            {
                DeviceConfig c = await d.Client.ReadConfigAsync();
                c.RecordRateHz = rateHz;
                await d.Client.WriteConfigAsync(c);
                ControlResponse r = await d.Client.RequireAsync(Opcode.StartRecording);
                id = r.Payload[0] | (r.Payload[1] << 8);
                host.WaitForDeviceTime(host.TimeS + seconds, TimeSpan.FromMinutes(5));
                await d.Client.RequireAsync(Opcode.StopRecording);
            }
            return (flash, id, File.ReadAllBytes(Path.Combine(flash, "hinge", $"S{id:D5}.hs")));
        }

        /// <summary>Imports the same downloaded session as if from <paramref name="sessions"/> devices, against a bare insert of its frames.</summary>
        public static Ingest MeasureIngest(byte[] session, int sessions, string dir)
        {
            // Each path once untimed first: steady-state ingest, not the JIT.
            ImportCopies(session, 1, Path.Combine(dir, "warm.db"));
            BareInsert(session, 1, Path.Combine(dir, "warm-bare.db"));
            var sw = Stopwatch.StartNew();
            ImportCopies(session, sessions, Path.Combine(dir, "ingest.db"));
            double import = sw.Elapsed.TotalSeconds;
            sw.Restart();
            long frames = BareInsert(session, sessions, Path.Combine(dir, "bare.db"));
            return new Ingest(sessions, frames, import, sw.Elapsed.TotalSeconds);
        }

        private static void ImportCopies(byte[] session, int sessions, string path)
        {
            using var db = new SessionDatabase(path);
            for (int i = 0; i < sessions; i++)
                db.ImportDeviceSession(new DeviceIdentityInfo($"BENCH-{i}", "bench", null, null, null), session);
        }

        // The naive way: the same rows into a bare table through ADO.NET parameters, one prepared
        // statement, one transaction per session (decoding included, as in ours).
        private static long BareInsert(byte[] session, int sessions, string path)
        {
            DecodedSession decoded = DecodedSession.Decode(session, session.Length);
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                c.Open();
                using (var p = c.CreateCommand())
                {
                    p.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE f (s INTEGER, i INTEGER, t REAL, a REAL, b REAL, c REAL, d REAL, e REAL, g REAL, v INTEGER, PRIMARY KEY (s, i)) WITHOUT ROWID;";
                    p.ExecuteNonQuery();
                }
                for (int i = 0; i < sessions; i++)
                {
                    using var tx = c.BeginTransaction();
                    using var cmd = c.CreateCommand();
                    cmd.Transaction = tx;
                    cmd.CommandText = "INSERT INTO f VALUES ($s, $i, $t, $a, $b, $c, $d, $e, $g, $v)";
                    var ps = new[] { "$s", "$i", "$t", "$a", "$b", "$c", "$d", "$e", "$g", "$v" }.Select(n => cmd.Parameters.Add(n, SqliteType.Real)).ToArray();
                    cmd.Prepare();
                    int k = 0;
                    foreach (SessionFrame f in decoded.Frames)
                    {
                        ps[0].Value = i; ps[1].Value = k++; ps[2].Value = f.TimeS;
                        ps[3].Value = Db(f.HeadSag); ps[4].Value = Db(f.HeadLat); ps[5].Value = Db(f.UpperSag);
                        ps[6].Value = Db(f.UpperLat); ps[7].Value = Db(f.SacrumSag); ps[8].Value = Db(f.SacrumLat);
                        ps[9].Value = f.ValidMask;
                        cmd.ExecuteNonQuery();
                    }
                    tx.Commit();
                }
            }
            return (long)decoded.Frames.Count * sessions;
        }

        private static object Db(float v) => float.IsNaN(v) ? DBNull.Value : v;

        /// <summary>
        /// Downloads the session from a device booted on a copy of the flash, at real time, timed on
        /// the device's clock from its first data notification to its DownloadDone event.
        /// </summary>
        public static async Task<Download> MeasureDownloadAsync(string flashDir, int sessionId, int mtu)
        {
            var (scenario, _) = ScenarioLoader.Load("demo");
            using var host = new VirtualDeviceHost(scenario, scenario.Seeds[0], new DirectoryFileStore(flashDir), 1);
            host.Start();
            var link = new VirtualDeviceLink(host, mtu);
            double first = double.NaN, done = double.NaN;
            // Notifications arrive on the device's thread: its clock is exact here.
            link.NotificationReceived += (uuid, v) =>
            {
                if (double.IsNaN(first) && uuid.Equals(GattIds.SessionData, StringComparison.OrdinalIgnoreCase)) first = host.TimeS;
                if (uuid.Equals(GattIds.Control, StringComparison.OrdinalIgnoreCase) && v.Length > 1 && v[0] == (byte)ControlMessage.Event && v[1] == (byte)DeviceEvent.DownloadDone) done = host.TimeS;
            };
            await using DeviceConnection d = await DeviceConnection.OpenAsync(link, false, CancellationToken.None, host, "virtual");
            SessionEntry e = (await d.Client.ListSessionsAsync()).Single(s => s.Id == sessionId);
            byte[] bytes = (await d.Client.DownloadAsync(e)).Bytes;
            var settings = host.Link.Settings;
            return new Download(d.Client.Link.Mtu, bytes.Length, done - first + settings.ConnectionIntervalMs / 1000, settings.CapacityBytesPerS(d.Client.Link.Mtu));
        }
    }
}
