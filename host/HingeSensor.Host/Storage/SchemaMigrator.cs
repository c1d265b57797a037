using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;

namespace HingeSensor.Host.Storage
{
    /// <summary>
    /// Brings a database to the latest schema (<see cref="Migrations"/>), forward only. Several
    /// processes may open the same new file at once: the version is read again and the scripts run
    /// inside one write transaction (BEGIN IMMEDIATE), so exactly one of them creates the schema
    /// and the others find it done. The version lives in a table that holds one row by construction.
    /// </summary>
    internal static class SchemaMigrator
    {
        private const string VersionTable = "CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)";

        public static void Migrate(SqliteConnection db, string path)
        {
            // Nothing to do, the usual case: a read, no write lock.
            if (TableExists(db, null, "schema_version") && HasColumn(db, null, "schema_version", "id") && ReadVersion(db, null, path) == Migrations.Scripts.Length) return;

            using SqliteTransaction tx = db.BeginTransaction(deferred: false);
            int version = CurrentVersion(db, tx, path);
            if (version > Migrations.Scripts.Length)
                throw new DatabaseUnusableException(path, $"has schema version {version}; this hinge knows up to {Migrations.Scripts.Length}",
                    "Update hinge to open it, or use another database with --db NEW.db.");
            for (int v = version; v < Migrations.Scripts.Length; v++) Exec(db, tx, Migrations.Scripts[v]);
            Exec(db, tx, $"UPDATE schema_version SET version = {Migrations.Scripts.Length} WHERE id = 1");
            tx.Commit();
        }

        /// <summary>The version inside the write transaction, with the version table brought to its one-row shape.</summary>
        private static int CurrentVersion(SqliteConnection db, SqliteTransaction tx, string path)
        {
            if (!TableExists(db, tx, "schema_version"))
            {
                List<string> foreign = Tables(db, tx);
                if (foreign.Count > 0)
                    throw new DatabaseUnusableException(path, $"is an SQLite database, but not hinge's (it has no schema version, and tables {string.Join(", ", foreign)})",
                        DatabaseUnusableException.StartAfresh(path));
                Exec(db, tx, VersionTable);
                Exec(db, tx, "INSERT INTO schema_version (id, version) VALUES (1, 0)");
                return 0;
            }
            int version = ReadVersion(db, tx, path);
            if (!HasColumn(db, tx, "schema_version", "id"))
            {
                // Written by an earlier hinge: a table that could hold several rows. Same value, one row from now on.
                Exec(db, tx, "ALTER TABLE schema_version RENAME TO schema_version_old");
                Exec(db, tx, VersionTable);
                Exec(db, tx, $"INSERT INTO schema_version (id, version) VALUES (1, {version})");
                Exec(db, tx, "DROP TABLE schema_version_old");
            }
            return version;
        }

        // Every row must say the same whole number: a NULL, a word or disagreeing rows are not a version.
        private static int ReadVersion(SqliteConnection db, SqliteTransaction? tx, string path)
        {
            using SqliteCommand c = db.CreateCommand();
            c.Transaction = tx;
            c.CommandText = "SELECT version FROM schema_version";
            using SqliteDataReader r = c.ExecuteReader();
            long? version = null;
            while (r.Read())
            {
                object v = r.GetValue(0);
                if (v is not long n || n < 0 || n > int.MaxValue || (version is long seen && seen != n))
                    throw new DatabaseUnusableException(path,
                        $"has an unreadable schema version ({Describe(v)}{(version is long s ? $", another row says {s}" : "")}): it was changed outside hinge",
                        DatabaseUnusableException.StartAfresh(path));
                version = n;
            }
            if (version == null)
            {
                List<string> tables = Tables(db, tx);
                if (tables.Count > 0)
                    throw new DatabaseUnusableException(path, $"has tables ({string.Join(", ", tables)}) but no schema version: it was changed outside hinge",
                        DatabaseUnusableException.StartAfresh(path));
                return 0;
            }
            return (int)version;
        }

        private static string Describe(object v) => v switch
        {
            DBNull => "NULL",
            string s => $"the text '{s}'",
            byte[] b => $"{b.Length} bytes of binary data",
            double d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => v.ToString() ?? "?",
        };

        private static bool TableExists(SqliteConnection db, SqliteTransaction? tx, string name)
        {
            using SqliteCommand c = db.CreateCommand();
            c.Transaction = tx;
            c.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $n";
            c.Parameters.AddWithValue("$n", name);
            return (long)c.ExecuteScalar()! > 0;
        }

        private static bool HasColumn(SqliteConnection db, SqliteTransaction? tx, string table, string column)
        {
            using SqliteCommand c = db.CreateCommand();
            c.Transaction = tx;
            c.CommandText = "SELECT COUNT(*) FROM pragma_table_info($t) WHERE name = $c";
            c.Parameters.AddWithValue("$t", table);
            c.Parameters.AddWithValue("$c", column);
            return (long)c.ExecuteScalar()! > 0;
        }

        // Tables other than the version table and SQLite's own.
        private static List<string> Tables(SqliteConnection db, SqliteTransaction? tx)
        {
            using SqliteCommand c = db.CreateCommand();
            c.Transaction = tx;
            c.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version' ORDER BY name";
            using SqliteDataReader r = c.ExecuteReader();
            var names = new List<string>();
            while (r.Read()) names.Add(r.GetString(0));
            return names;
        }

        private static void Exec(SqliteConnection db, SqliteTransaction tx, string sql)
        {
            using SqliteCommand c = db.CreateCommand();
            c.Transaction = tx;
            c.CommandText = sql;
            c.ExecuteNonQuery();
        }
    }
}
