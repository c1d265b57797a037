using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace HingeSensor.Server.Accounts
{
    public sealed record Person(long Id, string Email, string DisplayName, bool HasPassword, bool Disabled);

    public sealed record Membership(long TeamId, string Team, string Role);

    public sealed record TokenInfo(long Id, long PersonId, string Label, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

    /// <summary>A request about accounts that cannot be done as asked; the message says what was wrong.</summary>
    public sealed class AccountException : Exception
    {
        public AccountException(string message) : base(message) { }
    }

    /// <summary>
    /// Teams, people, memberships with their role, and upload tokens, in PostgreSQL. Who may see
    /// whom is decided here and in <see cref="Sessions.SessionQueries"/>, in SQL, so that every way
    /// in (pages, API, sync) answers alike.
    /// </summary>
    public sealed class AccountStore
    {
        private readonly NpgsqlDataSource _db;

        public AccountStore(NpgsqlDataSource db) => _db = db;

        /// <summary>The SQL condition "person $viewer coaches a team that person $person is in" (parameters named as given).</summary>
        public static string Coaches(string viewer, string person) =>
            $"EXISTS (SELECT 1 FROM memberships c JOIN memberships a ON a.team_id = c.team_id WHERE c.person_id = {viewer} AND c.role = 'coach' AND a.person_id = {person})";

        public static string NormalizeEmail(string email)
        {
            string e = email.Trim().ToLowerInvariant();
            if (e.Length < 3 || e.Length > 320 || e.IndexOf('@') <= 0 || e.IndexOf('@') == e.Length - 1 || e.Contains(' '))
                throw new AccountException($"'{email}' is not an email address");
            return e;
        }

        public async Task<long> CreateTeamAsync(string name, CancellationToken ct = default)
        {
            name = name.Trim();
            if (name.Length == 0 || name.Length > 200) throw new AccountException("a team's name has 1 to 200 characters");
            await using NpgsqlCommand c = _db.CreateCommand("INSERT INTO teams (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id");
            c.Parameters.AddWithValue(name);
            return await c.ExecuteScalarAsync(ct) is long id ? id : throw new AccountException($"team '{name}' exists already");
        }

        public async Task<long> TeamIdAsync(string name, CancellationToken ct = default)
        {
            await using NpgsqlCommand c = _db.CreateCommand("SELECT id FROM teams WHERE name = $1");
            c.Parameters.AddWithValue(name.Trim());
            return await c.ExecuteScalarAsync(ct) is long id ? id : throw new AccountException($"no team '{name}' (make it with `hinge server team add`)");
        }

        public async Task<long> AddPersonAsync(string email, string displayName, string? password, CancellationToken ct = default)
        {
            email = NormalizeEmail(email);
            displayName = displayName.Trim();
            if (displayName.Length == 0 || displayName.Length > 200) throw new AccountException("a name has 1 to 200 characters");
            string? hash = password == null ? null : HashOrRefuse(password);
            await using NpgsqlCommand c = _db.CreateCommand("INSERT INTO people (email, display_name, password_hash) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id");
            c.Parameters.AddWithValue(email);
            c.Parameters.AddWithValue(displayName);
            c.Parameters.AddWithValue((object?)hash ?? DBNull.Value);
            return await c.ExecuteScalarAsync(ct) is long id ? id : throw new AccountException($"{email} has an account already");
        }

        public async Task SetPasswordAsync(long personId, string password, CancellationToken ct = default)
        {
            await using NpgsqlCommand c = _db.CreateCommand("UPDATE people SET password_hash = $2 WHERE id = $1");
            c.Parameters.AddWithValue(personId);
            c.Parameters.AddWithValue(HashOrRefuse(password));
            await c.ExecuteNonQueryAsync(ct);
        }

        private static string HashOrRefuse(string password)
        {
            try { return Passwords.Hash(password); }
            catch (ArgumentException e) { throw new AccountException(e.Message); }
        }

        /// <summary>Puts a person in a team with a role (a second call changes the role).</summary>
        public async Task JoinAsync(long teamId, long personId, string role, CancellationToken ct = default)
        {
            await using NpgsqlCommand c = _db.CreateCommand("INSERT INTO memberships (team_id, person_id, role) VALUES ($1, $2, $3) ON CONFLICT (team_id, person_id) DO UPDATE SET role = EXCLUDED.role");
            c.Parameters.AddWithValue(teamId);
            c.Parameters.AddWithValue(personId);
            c.Parameters.AddWithValue(role);
            await c.ExecuteNonQueryAsync(ct);
        }

        public async Task<Person?> FindAsync(long id, CancellationToken ct = default) =>
            await OnePersonAsync("SELECT id, email, display_name, password_hash IS NOT NULL, disabled_at IS NOT NULL FROM people WHERE id = $1", id, ct);

        public async Task<Person?> FindByEmailAsync(string email, CancellationToken ct = default) =>
            await OnePersonAsync("SELECT id, email, display_name, password_hash IS NOT NULL, disabled_at IS NOT NULL FROM people WHERE email = $1", NormalizeEmail(email), ct);

        public async Task<Person> RequireByEmailAsync(string email, CancellationToken ct = default) =>
            await FindByEmailAsync(email, ct) ?? throw new AccountException($"no account for {NormalizeEmail(email)} (add it with `hinge server person add`)");

        private async Task<Person?> OnePersonAsync(string sql, object key, CancellationToken ct)
        {
            await using NpgsqlCommand c = _db.CreateCommand(sql);
            c.Parameters.AddWithValue(key);
            await using NpgsqlDataReader r = await c.ExecuteReaderAsync(ct);
            return await r.ReadAsync(ct) ? new Person(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetBoolean(4)) : null;
        }

        /// <summary>The person an email and password sign in, or null (unknown email, no password set, wrong password, disabled: the caller cannot tell which).</summary>
        public async Task<long?> SignInAsync(string email, string password, CancellationToken ct = default)
        {
            string normalized;
            try { normalized = NormalizeEmail(email); }
            catch (AccountException) { normalized = ""; }
            long id = 0;
            string? hash = null;
            bool disabled = false;
            await using (NpgsqlCommand c = _db.CreateCommand("SELECT id, password_hash, disabled_at IS NOT NULL FROM people WHERE email = $1"))
            {
                c.Parameters.AddWithValue(normalized);
                await using NpgsqlDataReader r = await c.ExecuteReaderAsync(ct);
                if (await r.ReadAsync(ct))
                {
                    id = r.GetInt64(0);
                    hash = r.IsDBNull(1) ? null : r.GetString(1);
                    disabled = r.GetBoolean(2);
                }
            }
            if (!Passwords.Verify(hash, password, out bool rehash) || disabled) return null;
            if (rehash) await SetPasswordAsync(id, password, ct);
            return id;
        }

        public async Task<IReadOnlyList<Membership>> MembershipsAsync(long personId, CancellationToken ct = default)
        {
            await using NpgsqlCommand c = _db.CreateCommand("SELECT t.id, t.name, m.role FROM memberships m JOIN teams t ON t.id = m.team_id WHERE m.person_id = $1 ORDER BY t.name");
            c.Parameters.AddWithValue(personId);
            var list = new List<Membership>();
            await using NpgsqlDataReader r = await c.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) list.Add(new Membership(r.GetInt64(0), r.GetString(1), r.GetString(2)));
            return list;
        }

        /// <summary>True when <paramref name="viewer"/> may see <paramref name="person"/>'s sessions and tokens: themselves, or a person in a team they coach.</summary>
        public async Task<bool> MaySeeAsync(long viewer, long person, CancellationToken ct = default)
        {
            if (viewer == person) return true;
            await using NpgsqlCommand c = _db.CreateCommand($"SELECT {Coaches("$1", "$2")}");
            c.Parameters.AddWithValue(viewer);
            c.Parameters.AddWithValue(person);
            return (bool)(await c.ExecuteScalarAsync(ct))!;
        }

        /// <summary>Registers a device to a person (again: to another person): the sessions recorded on it from now on are theirs.</summary>
        public async Task RegisterDeviceAsync(string serial, long personId, CancellationToken ct = default)
        {
            serial = serial.Trim();
            if (serial.Length == 0 || serial.Length > 16) throw new AccountException("a device serial has 1 to 16 characters");
            await using NpgsqlCommand c = _db.CreateCommand("INSERT INTO devices (serial, person_id, firmware) VALUES ($1, $2, 'unknown') ON CONFLICT (serial) DO UPDATE SET person_id = EXCLUDED.person_id");
            c.Parameters.AddWithValue(serial);
            c.Parameters.AddWithValue(personId);
            await c.ExecuteNonQueryAsync(ct);
        }

        /// <summary>A new upload token for a person: the secret is returned this once and never stored.</summary>
        public async Task<(long Id, string Secret)> IssueTokenAsync(long personId, string label, CancellationToken ct = default)
        {
            label = label.Trim();
            if (label.Length == 0 || label.Length > 200) throw new AccountException("a token's label has 1 to 200 characters");
            string secret = UploadTokens.NewSecret();
            await using NpgsqlCommand c = _db.CreateCommand("INSERT INTO upload_tokens (person_id, label, secret_sha256) VALUES ($1, $2, $3) RETURNING id");
            c.Parameters.AddWithValue(personId);
            c.Parameters.AddWithValue(label);
            c.Parameters.AddWithValue(UploadTokens.Fingerprint(secret));
            return ((long)(await c.ExecuteScalarAsync(ct))!, secret);
        }

        /// <summary>The person and token a secret stands for, when it is known, not revoked and its person not disabled.</summary>
        public async Task<(long PersonId, long TokenId)?> AuthenticateTokenAsync(string secret, CancellationToken ct = default)
        {
            await using NpgsqlCommand c = _db.CreateCommand(
                "UPDATE upload_tokens t SET last_used_at = now() FROM people p WHERE t.secret_sha256 = $1 AND t.revoked_at IS NULL AND p.id = t.person_id AND p.disabled_at IS NULL RETURNING t.person_id, t.id");
            c.Parameters.AddWithValue(UploadTokens.Fingerprint(secret));
            await using NpgsqlDataReader r = await c.ExecuteReaderAsync(ct);
            return await r.ReadAsync(ct) ? (r.GetInt64(0), r.GetInt64(1)) : null;
        }

        /// <summary>
        /// Revokes a token, by its owner or by a coach of a team its owner is in (null: the
        /// administrator at the server's command line). False when there is no such token that
        /// this person may revoke (which of the two is not said).
        /// </summary>
        public async Task<bool> RevokeTokenAsync(long tokenId, long? byPersonId, CancellationToken ct = default)
        {
            string who = byPersonId == null ? "TRUE" : $"(t.person_id = $2 OR {Coaches("$2", "t.person_id")})";
            await using NpgsqlCommand c = _db.CreateCommand($"UPDATE upload_tokens t SET revoked_at = COALESCE(revoked_at, now()) WHERE t.id = $1 AND {who}");
            c.Parameters.AddWithValue(tokenId);
            c.Parameters.AddWithValue(byPersonId ?? 0L);
            return await c.ExecuteNonQueryAsync(ct) == 1;
        }

        public async Task<IReadOnlyList<TokenInfo>> TokensAsync(long personId, CancellationToken ct = default)
        {
            await using NpgsqlCommand c = _db.CreateCommand("SELECT id, person_id, label, created_at, last_used_at, revoked_at FROM upload_tokens WHERE person_id = $1 ORDER BY id");
            c.Parameters.AddWithValue(personId);
            var list = new List<TokenInfo>();
            await using NpgsqlDataReader r = await c.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                list.Add(new TokenInfo(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
                    r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5)));
            return list;
        }
    }
}
