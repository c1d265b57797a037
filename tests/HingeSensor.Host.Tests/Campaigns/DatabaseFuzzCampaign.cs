using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using HingeSensor.Host.Storage;
using HingeSensor.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Campaigns
{
    /// <summary>
    /// The session log damaged on disk: a database our code made, with sessions and a quarantined
    /// one in it, its bytes flipped and set, whole pages overwritten, zeroed or swapped, cut short
    /// and grown. Goal: opening and listing it (sessions, quarantine, a session in full, as
    /// `hinge history` and a report read them) works, or fails with the host's damaged-database
    /// error that names the file — never another exception — and a failed open leaves the file as
    /// it was, byte for byte, where it was. (SQLite keeps no checksums: a flip inside a value that
    /// leaves the pages well formed reads as another value; that is outside what any open can tell.)
    /// </summary>
    public class DatabaseFuzzCampaign
    {
        private const int PageSize = 4096;
        private static readonly DeviceIdentityInfo Device = new("HS1-FUZZ", "HingeSensor", null, null, null);
        private readonly ITestOutputHelper _out;

        public DatabaseFuzzCampaign(ITestOutputHelper output) => _out = output;

        private static byte[] Made(TempDir dir)
        {
            string path = dir.File("made.db");
            byte[] session = SessionDecodeFuzzCampaign.Recorded();
            using (var db = new SessionDatabase(path))
            {
                db.ImportDeviceSession(Device, session);
                byte[] other = (byte[])session.Clone();
                other[^20] ^= 1; // another recording's bytes (its last chunk damaged: a hole), stored as its own
                db.ImportDeviceSession(Device, other);
                db.Quarantine(Device, 7, session[..200], "session header does not decode: fuzz");
            }
            SqliteConnection.ClearAllPools();
            Assert.False(File.Exists(path + "-wal"), "the WAL was not checkpointed at close");
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                c.Open();
                using var q = c.CreateCommand();
                q.CommandText = "PRAGMA page_size";
                Assert.Equal((long)PageSize, (long)q.ExecuteScalar()!);
            }
            return File.ReadAllBytes(path);
        }

        private static Mutation Damaged(byte[] db, Mutator mutator, int i)
        {
            var rng = new Random(i);
            int pages = db.Length / PageSize;
            byte[] b = (byte[])db.Clone();
            switch (i % 5)
            {
                case 0:
                    {
                        // A few bytes anywhere, the 100-byte file header and the page headers more often.
                        int n = 1 + rng.Next(4);
                        for (int k = 0; k < n; k++)
                        {
                            int p = rng.Next(3) == 0 ? rng.Next(100) : rng.Next(2) == 0 ? rng.Next(pages) * PageSize + rng.Next(12) : rng.Next(b.Length);
                            b[p] ^= (byte)(1 << rng.Next(8));
                        }
                        return new Mutation(b, $"{n} bits flipped (new Random({i}))");
                    }
                case 1:
                    {
                        int page = rng.Next(pages);
                        bool zero = rng.Next(2) == 0;
                        var fill = new byte[PageSize];
                        if (!zero) rng.NextBytes(fill);
                        fill.CopyTo(b, page * PageSize);
                        return new Mutation(b, $"page {page + 1} {(zero ? "zeroed" : "overwritten with random bytes")}");
                    }
                case 2:
                    {
                        int x = rng.Next(pages), y = rng.Next(pages);
                        byte[] px = b[(x * PageSize)..((x + 1) * PageSize)];
                        Array.Copy(b, y * PageSize, b, x * PageSize, PageSize);
                        px.CopyTo(b, y * PageSize);
                        return new Mutation(b, $"pages {x + 1} and {y + 1} swapped");
                    }
                case 3:
                    {
                        int n = rng.Next(2) == 0 ? rng.Next(pages) * PageSize : rng.Next(b.Length);
                        return new Mutation(b[..n], $"cut to {n} bytes");
                    }
                default:
                    return mutator.Next(db, i);
            }
        }

        [Fact]
        public void A_damaged_database_opens_and_lists_or_is_refused_by_name_and_left_as_it_was()
        {
            int cases = CampaignScale.Size(400, 10_000);
            using var dir = new TempDir();
            byte[] made = Made(dir);
            var mutator = new Mutator(1066);
            var tally = new FuzzTally("sqlite-database", typeof(DatabaseUnusableException));
            string path = dir.File("hinge.db");
            for (int i = 0; i < cases; i++)
            {
                Mutation m = Damaged(made, mutator, i);
                foreach (string f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
                File.WriteAllBytes(path, m.Bytes);
                byte[] before = SHA256.HashData(m.Bytes);
                int index = i;
                tally.Run(() => $"case {index} ({(index % 5 == 4 ? mutator.Reproduce(index) + ": " : "")}{m.Description})", () =>
                {
                    try
                    {
                        using var db = new SessionDatabase(path);
                        var sessions = db.ListSessions();
                        db.ListQuarantined();
                        foreach (var s in sessions) db.GetSession(s.Id);
                        return "";
                    }
                    catch (DatabaseUnusableException e)
                    {
                        SqliteConnection.ClearAllPools();
                        if (e.DatabasePath != path || !e.Message.StartsWith(path, StringComparison.Ordinal)) return $"refused without naming the file: '{e.Message}'";
                        if (!File.Exists(path)) return "refused, and the file is gone";
                        if (!SHA256.HashData(File.ReadAllBytes(path)).AsSpan().SequenceEqual(before)) return "refused, and the file was written";
                        return null;
                    }
                });
                SqliteConnection.ClearAllPools();
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }
    }
}
