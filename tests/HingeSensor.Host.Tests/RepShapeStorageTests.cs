using HingeSensor.TestSupport;
using System.Linq;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Host.Reports;
using HingeSensor.Host.Storage;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice.Models;
using Microsoft.Data.Sqlite;
using Xunit;

namespace HingeSensor.Host.Tests
{
    /// <summary>A rep's shape (pattern, depth, finish) from the device's session to the log and the report.</summary>
    public class RepShapeStorageTests
    {
        private static readonly DeviceIdentityInfo Device = new("HS1-000042", "HingeSensor", "AA:BB:CC:DD:EE:FF", "HS1", "1.2.0");

        // A session as the device writes it: frames, then two reps with their shape.
        private static byte[] Session()
        {
            var flash = new FlashModel(256 * 1024);
            var store = new SessionStore(flash, "/hinge/", new SeededRandom(1));
            store.Recover();
            var recorder = new SessionRecorder(store, flash);
            var session = recorder.Start(new SessionHeader { DeviceSerial = "HS1-000042", StartUnixMs = 1_764_000_000_000, FrameRateHz = 25 }, 0f)!;
            var m = new PostureMetrics { ValidSegments = 7 };
            for (int k = 0; k < 100; k++)
            {
                m.TimeS = k * 0.04f;
                recorder.AddFrame(m);
            }
            recorder.AddRep(new Rep { Number = 1, Counted = true, StartS = 0.2f, EndS = 1.8f, DepthDeg = 85f, Pattern = RepPattern.Hinge, Lockout = Lockout.Ok, DepthReached = true, PelvisShare = 0.62f, SacrumDropCm = 6f });
            recorder.AddRep(new Rep { Number = 2, Counted = true, StartS = 2.0f, EndS = 3.8f, DepthDeg = 55f, Pattern = RepPattern.Squat, Lockout = Lockout.Incomplete, PelvisShare = 0.31f, SacrumDropCm = 28.5f });
            recorder.Stop(StopReason.Requested, 4f);
            var bytes = new byte[session.Length];
            Assert.Equal(bytes.Length, store.Read(session, 0, bytes, 0, bytes.Length));
            return bytes;
        }

        [Fact]
        public void A_downloaded_session_keeps_each_reps_pattern_depth_and_finish_and_the_report_says_what_to_work_on()
        {
            using var dir = new TempDir();
            using var db = new SessionDatabase(dir.File("hinge.db"));
            StoredSession s = db.GetSession(db.ImportDeviceSession(Device, Session()).Id)!;

            StoredRep hinge = s.Reps[0], squat = s.Reps[1];
            Assert.Equal(("hinge", "ok", (bool?)true), (hinge.Pattern, hinge.Lockout, hinge.DepthReached));
            Assert.Equal(0.62, hinge.PelvisShare, 2);
            Assert.Equal(6.0, hinge.SacrumDropCm, 1);
            Assert.Equal(("squat", "incomplete", (bool?)false), (squat.Pattern, squat.Lockout, squat.DepthReached));
            Assert.Equal(28.5, squat.SacrumDropCm, 1);
            Assert.Equal("good", RepQuality.Summary(hinge));
            Assert.Equal("squatted: hips back; short of the depth; finish tall", RepQuality.Summary(squat));

            string html = SessionReportPage.Render(s);
            Assert.Contains("data-pattern=\"squat\" data-lockout=\"incomplete\"", html);
            Assert.Contains("squat (pelvis 31 %)", html);
            Assert.Contains("short of standing", html);
        }

        [Fact]
        public void Trends_show_the_share_of_reps_done_as_a_hinge_to_depth_and_finished_tall()
        {
            using var dir = new TempDir();
            using var db = new SessionDatabase(dir.File("hinge.db"));
            StoredSession s = db.GetSession(db.ImportDeviceSession(Device, Session()).Id)!;
            SessionTrend t = SessionTrend.Of(s);
            Assert.Equal((0.5, 0.5, 0.5), (t.HingeShare, t.DepthReachedShare, t.LockoutOkShare));
            string html = TrendsReportPage.Render(db);
            Assert.Contains("data-hinge-share=\"0.5\" data-lockout-ok-share=\"0.5\"", html);
        }

        [Fact]
        public void A_rep_stored_before_the_shape_existed_reads_as_unknown_not_as_a_default()
        {
            using var dir = new TempDir();
            string path = dir.File("hinge.db");
            long id;
            using (var db = new SessionDatabase(path)) id = db.ImportDeviceSession(Device, Session()).Id;
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                // What schema 2 wrote: a rep row without the shape's columns.
                c.Open();
                using var q = c.CreateCommand();
                q.CommandText = $"INSERT INTO reps (session_id, seq, number, counted, start_s, end_s, depth_deg, faults) VALUES ({id}, 9, 3, 1, 4.0, 5.5, 70, '')";
                q.ExecuteNonQuery();
            }
            using (var db = new SessionDatabase(path))
            {
                StoredRep old = db.GetSession(id)!.Reps.Single(r => r.Number == 3);
                Assert.Equal(("unknown", "unknown", (bool?)null), (old.Pattern, old.Lockout, old.DepthReached));
                Assert.True(double.IsNaN(old.PelvisShare));
                Assert.Equal("line held", RepQuality.Summary(old));
            }
        }
    }
}
