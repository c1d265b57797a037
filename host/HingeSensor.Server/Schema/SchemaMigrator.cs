using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace HingeSensor.Server.Schema
{
    /// <summary>
    /// Brings the database to <see cref="Migrations.Latest"/>, forward only, at every start. All of
    /// it happens in one transaction holding a transaction-scoped advisory lock: servers starting at
    /// once queue on the lock, the first migrates, the others then read the new version and have
    /// nothing to do; a migration that fails leaves the schema as it was. A database migrated by a
    /// newer server is refused, unchanged (<see cref="SchemaTooNewException"/>).
    /// </summary>
    public static class SchemaMigrator
    {
        /// <summary>The advisory lock's key: "HINGESRV" in ASCII, one number no other program is likely to pick.</summary>
        public const long LockKey = 0x48494E4745535256;

        /// <summary>Migrates; returns the schema version the database now has.</summary>
        public static Task<int> MigrateAsync(NpgsqlDataSource db, CancellationToken ct = default) => MigrateAsync(db, Migrations.Latest, ct);

        /// <summary>Migrates up to <paramref name="target"/> only: how a test makes a database as an older server left it.</summary>
        internal static async Task<int> MigrateAsync(NpgsqlDataSource db, int target, CancellationToken ct)
        {
            await using NpgsqlConnection c = await db.OpenConnectionAsync(ct);
            await using NpgsqlTransaction tx = await c.BeginTransactionAsync(ct);
            await Exec(c, tx, $"SELECT pg_advisory_xact_lock({LockKey})", ct);
            int version = await CurrentVersionAsync(c, tx, ct);
            if (version > Migrations.Latest) throw new SchemaTooNewException(c.Database ?? "the database", version, Migrations.Latest);
            for (int v = version + 1; v <= target; v++)
            {
                (string name, string sql) = Migrations.Scripts[v - 1];
                await Exec(c, tx, sql, ct);
                await using var mark = new NpgsqlCommand("INSERT INTO hinge_schema (version, name) VALUES ($1, $2)", c, tx);
                mark.Parameters.AddWithValue(v);
                mark.Parameters.AddWithValue(name);
                await mark.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            return Math.Max(version, target);
        }

        /// <summary>The version recorded in the database (0: none yet), without changing anything.</summary>
        public static async Task<int> ReadVersionAsync(NpgsqlDataSource db, CancellationToken ct = default)
        {
            await using NpgsqlConnection c = await db.OpenConnectionAsync(ct);
            if (!await VersionTableExistsAsync(c, null, ct)) return 0;
            await using var q = new NpgsqlCommand("SELECT COALESCE(max(version), 0) FROM hinge_schema", c);
            return Convert.ToInt32(await q.ExecuteScalarAsync(ct));
        }

        private static async Task<int> CurrentVersionAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
        {
            if (await VersionTableExistsAsync(c, tx, ct))
            {
                await using var q = new NpgsqlCommand("SELECT COALESCE(max(version), 0) FROM hinge_schema", c, tx);
                return Convert.ToInt32(await q.ExecuteScalarAsync(ct));
            }
            // A database that holds another program's tables is not ours to add to.
            var foreign = new List<string>();
            await using (var q = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename LIMIT 5", c, tx))
            await using (NpgsqlDataReader r = await q.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) foreign.Add(r.GetString(0));
            if (foreign.Count > 0)
                throw new SchemaRefusedException($"database {c.Database} is not a hinge server's: it has no hinge_schema table but holds tables ({string.Join(", ", foreign)}); nothing was changed. Give `hinge server` a database of its own (createdb hinge).");
            await Exec(c, tx, "CREATE TABLE hinge_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())", ct);
            return 0;
        }

        private static async Task<bool> VersionTableExistsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct)
        {
            await using var q = new NpgsqlCommand("SELECT to_regclass('hinge_schema') IS NOT NULL", c, tx);
            return (bool)(await q.ExecuteScalarAsync(ct))!;
        }

        private static async Task Exec(NpgsqlConnection c, NpgsqlTransaction tx, string sql, CancellationToken ct)
        {
            await using var cmd = new NpgsqlCommand(sql, c, tx);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>A database the server will not use as it is; the message says why and how to go on.</summary>
    public class SchemaRefusedException : Exception
    {
        public SchemaRefusedException(string message) : base(message) { }
    }

    /// <summary>The database was migrated by a newer server than this one.</summary>
    public sealed class SchemaTooNewException : SchemaRefusedException
    {
        public SchemaTooNewException(string database, int version, int known)
            : base($"database {database} has schema version {version}, newer than this server knows (up to {known}): it was migrated by a newer hinge server. Nothing was changed; run that newer hinge (an older server cannot read what a newer one wrote).")
        {
            Version = version;
            Known = known;
        }

        public int Version { get; }
        public int Known { get; }
    }
}
