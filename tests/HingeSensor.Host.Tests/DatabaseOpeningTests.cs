using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Host.Storage;
using Microsoft.Data.Sqlite;
using Xunit;
using HingeSensor.TestSupport;

namespace HingeSensor.Host.Tests
{
    /// <summary>Opening the session log: new files raced for, damaged and foreign files, versions hinge cannot read.</summary>
    [StartsEarly(4)]
    public class DatabaseOpeningTests
    {
        [Fact]
        public async Task Processes_racing_to_open_a_new_file_all_succeed_and_leave_one_version_row()
        {
            using var dir = new TempDir();
            for (int round = 0; round < 3; round++)
            {
                string path = dir.File($"race-{round}.db");
                Process[] ps;
                // The starting gun: a lock on the new file holds every process at its first statement
                // until all of them have the file open, then lets go of them at once.
                using (var gate = new SqliteConnection($"Data Source={path};Pooling=False"))
                {
                    gate.Open();
                    using (var lockIt = gate.CreateCommand()) { lockIt.CommandText = "BEGIN EXCLUSIVE"; lockIt.ExecuteNonQuery(); }
                    ps = Enumerable.Range(0, 6).Select(_ => StartHinge("history", "list", "--json", "--db", path)).ToArray();
                    await WaitUntilAsync(() => ps.All(p => p.HasExited || HasOpen(p, path)), TimeSpan.FromSeconds(60));
                }
                foreach (Process p in ps)
                {
                    string err = await p.StandardError.ReadToEndAsync();
                    string output = await p.StandardOutput.ReadToEndAsync();
                    await p.WaitForExitAsync();
                    Assert.True(p.ExitCode == 0, $"round {round}: exit {p.ExitCode}: {err}");
                    Assert.Equal("[]", output.Trim()); // stdout stays JSON; the note about the new file went to stderr
                }
                AssertOneVersionRow(path);
            }
        }

        private static bool HasOpen(Process p, string path)
        {
            try { return Directory.EnumerateFileSystemEntries($"/proc/{p.Id}/fd").Any(fd => new FileInfo(fd).LinkTarget == path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return false; }
        }

        private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (!condition())
            {
                Assert.True(sw.Elapsed < timeout, "timed out waiting for the processes to open the file");
                await Task.Delay(10);
            }
        }

        [Fact]
        public void A_damaged_file_is_named_left_untouched_and_the_way_on_is_said()
        {
            using var dir = new TempDir();
            string path = dir.File("hinge.db");
            var bytes = new byte[8192];
            new Random(3).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
            var (code, output, err) = CliTests.Hinge("history", "list", "--db", path);
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Contains(path, err);
            Assert.Contains("damaged", err);
            Assert.Contains("left as it is", err);
            Assert.Contains("--db NEW.db", err);
            Assert.Equal(bytes, File.ReadAllBytes(path));
            Assert.False(File.Exists(path + "-wal"));
        }

        [Fact]
        public void A_database_whose_pages_are_damaged_after_the_header_is_refused_with_the_same_words()
        {
            using var dir = new TempDir();
            string path = dir.File("hinge.db");
            new SessionDatabase(path).Dispose();
            byte[] good = File.ReadAllBytes(path);
            // Keep SQLite's 100-byte header, scribble over the schema page.
            for (int i = 100; i < Math.Min(good.Length, 4096); i++) good[i] = 0x5A;
            File.WriteAllBytes(path, good);
            byte[] before = SHA256.HashData(File.ReadAllBytes(path));
            var (code, _, err) = CliTests.Hinge("trends", "--db", path, "--out", dir.File("t.html"));
            Assert.Equal(2, code);
            Assert.Contains($"{path} is damaged", err);
            Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
        }

        /// <summary>A database made by hinge with a session in it.</summary>
        private static string WithSession(TempDir dir)
        {
            string path = dir.File("hinge.db");
            using (var db = new SessionDatabase(path)) db.ImportDeviceSession(new DeviceIdentityInfo("HS1-DB", null, null, null, null), Campaigns.SessionDecodeFuzzCampaign.Recorded());
            SqliteConnection.ClearAllPools();
            return path;
        }

        [Fact]
        public void Damage_that_only_a_listing_reaches_is_named_as_damage_and_the_file_left_as_it_was()
        {
            using var dir = new TempDir();
            string path = WithSession(dir);
            long root;
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                c.Open();
                using var q = c.CreateCommand();
                q.CommandText = "SELECT rootpage FROM sqlite_master WHERE name = 'reps'";
                root = (long)q.ExecuteScalar()!;
            }
            byte[] bytes = File.ReadAllBytes(path);
            Array.Clear(bytes, (int)(root - 1) * 4096, 4096); // the reps table's page: the open does not read it, the listing does
            File.WriteAllBytes(path, bytes);

            var (code, output, err) = CliTests.Hinge("history", "list", "--db", path);

            Assert.Equal(2, code); // was: "SQLite Error 11: 'database disk image is malformed'." without the file or a way on
            Assert.Equal("", output);
            Assert.Contains($"{path} is damaged", err);
            Assert.Contains("--db NEW.db", err);
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }

        [Fact]
        public void A_damaged_file_format_byte_in_the_header_is_named_as_damage()
        {
            using var dir = new TempDir();
            string path = WithSession(dir);
            byte[] bytes = File.ReadAllBytes(path);
            bytes[19] = 9; // the read version in SQLite's header: "unsupported file format"
            File.WriteAllBytes(path, bytes);

            var e = Assert.Throws<DatabaseUnusableException>(() => new SessionDatabase(path)); // was a bare SqliteException
            Assert.Contains($"{path} is damaged", e.Message);
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }

        [Fact]
        public void A_schema_version_older_than_the_tables_is_named_as_damage_and_the_file_left_as_it_was()
        {
            using var dir = new TempDir();
            string path = WithSession(dir);
            Sql(path, "UPDATE schema_version SET version = 1"); // what a damaged version page reads as: the migrations run again over tables that exist
            byte[] bytes = File.ReadAllBytes(path);

            var e = Assert.Throws<DatabaseUnusableException>(() => new SessionDatabase(path)); // was a bare SqliteException ("table … already exists")
            Assert.Contains($"{path} is damaged", e.Message);
            SqliteConnection.ClearAllPools();
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }

        [Theory]
        [InlineData("NULL", "NULL")]
        [InlineData("'one'", "the text 'one'")]
        public void An_unreadable_schema_version_is_a_sentence_not_a_crash(string value, string said)
        {
            using var dir = new TempDir();
            string path = dir.File("hinge.db");
            new SessionDatabase(path).Dispose();
            Sql(path, "DROP TABLE schema_version; CREATE TABLE schema_version (version); INSERT INTO schema_version VALUES (" + value + ");");
            byte[] before = SHA256.HashData(File.ReadAllBytes(path));
            var (code, _, err) = CliTests.Hinge("history", "list", "--db", path);
            Assert.Equal(2, code);
            Assert.Contains($"{path} has an unreadable schema version ({said})", err);
            Assert.Contains("--db NEW.db", err);
            Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
        }

        [Fact]
        public void Another_programs_sqlite_file_is_not_written_into()
        {
            using var dir = new TempDir();
            string path = dir.File("notes.db");
            Sql(path, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me');");
            byte[] before = SHA256.HashData(File.ReadAllBytes(path));
            var (code, _, err) = CliTests.Hinge("history", "list", "--db", path);
            Assert.Equal(2, code);
            Assert.Contains("not hinge's", err);
            Assert.Contains("notes", err);
            Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
        }

        [Fact]
        public void A_version_table_with_duplicate_rows_from_an_earlier_hinge_is_repaired_to_one_row()
        {
            using var dir = new TempDir();
            string path = dir.File("hinge.db");
            new SessionDatabase(path).Dispose();
            // What two racing earlier hinges left: the version table of old, twice the same row.
            Sql(path, $"DROP TABLE schema_version; CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES ({Migrations.Scripts.Length}), ({Migrations.Scripts.Length});");
            using (var db = new SessionDatabase(path)) Assert.Equal(Migrations.Scripts.Length, db.SchemaVersion);
            AssertOneVersionRow(path);
            Assert.Throws<SqliteException>(() => Sql(path, "INSERT INTO schema_version (version) VALUES (0)"));
        }

        [Fact]
        public void A_mistyped_db_path_says_a_new_database_is_started_on_stderr_only()
        {
            using var dir = new TempDir();
            string path = dir.File("hinge-typo.db");
            var (code, output, err) = CliTests.Hinge("history", "list", "--db", path, "--json");
            Assert.Equal(0, code);
            Assert.Equal("[]", output.Trim());
            Assert.Contains($"no database at {path}: starting a new one", err);
            // The second time it exists: nothing to say.
            Assert.DoesNotContain("starting a new one", CliTests.Hinge("history", "list", "--db", path, "--json").Err);
        }

        [Fact]
        public void A_directory_given_as_the_database_is_named_as_such()
        {
            using var dir = new TempDir();
            var (code, _, err) = CliTests.Hinge("history", "list", "--db", dir.Path);
            Assert.Equal(2, code);
            Assert.Contains($"{dir.Path} is a directory, not a database file", err);
        }

        private static void AssertOneVersionRow(string path)
        {
            using var c = new SqliteConnection($"Data Source={path};Pooling=False");
            c.Open();
            using var q = c.CreateCommand();
            q.CommandText = "SELECT version FROM schema_version";
            using var r = q.ExecuteReader();
            var versions = new List<long>();
            while (r.Read()) versions.Add(r.GetInt64(0));
            Assert.Equal(new[] { (long)Migrations.Scripts.Length }, versions);
        }

        private static void Sql(string path, string sql)
        {
            using var c = new SqliteConnection($"Data Source={path};Pooling=False");
            c.Open();
            using var q = c.CreateCommand();
            q.CommandText = sql;
            q.ExecuteNonQuery();
        }

        internal static Process StartHinge(params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hinge.dll"));
            foreach (string a in args) psi.ArgumentList.Add(a);
            return Process.Start(psi)!;
        }
    }
}
