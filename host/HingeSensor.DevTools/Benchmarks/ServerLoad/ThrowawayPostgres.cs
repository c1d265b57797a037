using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Npgsql;

namespace HingeSensor.DevTools.Benchmarks.ServerLoad
{
    /// <summary>
    /// A PostgreSQL cluster for one load run, made the way the server's tests make theirs: initdb
    /// into a temporary directory with the Debian package's binaries (the newest
    /// /usr/lib/postgresql/*/bin, or $HINGESENSOR_PG_BIN), a free loopback port, TCP with a
    /// password; as root its server programs run as `postgres` (they refuse root). Unlike the
    /// tests' it keeps PostgreSQL's durable defaults (fsync, synchronous commit): the figures are a
    /// deployment's. Stopped and removed by <see cref="Dispose"/>.
    /// </summary>
    public sealed class ThrowawayPostgres : IDisposable
    {
        public const string User = "hinge_bench";

        private readonly string _bin, _base;
        private readonly string? _runAs;

        private ThrowawayPostgres(string bin, string baseDir, string? runAs)
        {
            _bin = bin;
            _base = baseDir;
            _runAs = runAs;
            Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        }

        public int Port { get; private set; }
        public string Password { get; }
        public string DataDirectory => Path.Combine(_base, "data");

        /// <summary>The postmaster's process id: its children are the database's processes.</summary>
        public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

        /// <summary>As a deployment writes it: TCP, a password, Npgsql's default pool (100).</summary>
        public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Database = database, Username = User, Password = Password,
        }.ConnectionString;

        /// <summary>The binaries' directory, or null with why there is none.</summary>
        public static string? FindBinaries(out string why)
        {
            static bool Has(string dir) => new[] { "initdb", "pg_ctl", "postgres" }.All(p => File.Exists(Path.Combine(dir, p)));
            why = "";
            if (Environment.GetEnvironmentVariable("HINGESENSOR_PG_BIN") is { Length: > 0 } env)
            {
                if (Has(env)) return env;
                why = $"HINGESENSOR_PG_BIN={env} does not hold initdb, pg_ctl and postgres";
                return null;
            }
            string? newest = Directory.Exists("/usr/lib/postgresql")
                ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                    .Select(d => (Dir: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : -1))
                    .Where(d => d.Version > 0 && Has(d.Dir)).OrderByDescending(d => d.Version).Select(d => d.Dir).FirstOrDefault()
                : null;
            if (newest == null) why = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin; apt-get install postgresql, or set HINGESENSOR_PG_BIN)";
            return newest;
        }

        public static async Task<ThrowawayPostgres> StartAsync(string bin, int maxConnections)
        {
            string? runAs = Environment.IsPrivilegedProcess ? "postgres" : null;
            var pg = new ThrowawayPostgres(bin, Path.Combine(Path.GetTempPath(), "hinge-bench-pg-" + Guid.NewGuid().ToString("N")), runAs);
            Directory.CreateDirectory(pg._base);
            try
            {
                string pwfile = Path.Combine(pg._base, "pwfile");
                File.WriteAllText(pwfile, pg.Password + "\n");
                if (runAs != null) Run("chown", "-R", runAs + ":", pg._base);
                pg.Server("initdb", "-D", pg.DataDirectory, "-U", User, "--pwfile", pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8");
                File.Delete(pwfile);
                pg.Port = FreePort();
                File.AppendAllText(Path.Combine(pg.DataDirectory, "postgresql.conf"), string.Join("\n",
                    "", $"port = {pg.Port}", "listen_addresses = '127.0.0.1'", $"unix_socket_directories = '{pg._base}'", $"max_connections = {maxConnections}", ""));
                pg.Server("pg_ctl", "start", "-D", pg.DataDirectory, "-l", Path.Combine(pg._base, "postgres.log"), "-w", "-t", "60");
                await using var c = new NpgsqlConnection(pg.ConnectionString("postgres") + ";Pooling=false");
                await c.OpenAsync();
                return pg;
            }
            catch
            {
                pg.Dispose();
                throw;
            }
        }

        public async Task CreateDatabaseAsync(string name)
        {
            await using var c = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync();
        }

        private void Server(string program, params string[] args)
        {
            string path = Path.Combine(_bin, program);
            if (_runAs == null) Run(path, args);
            else Run("runuser", new[] { "-u", _runAs, "--", path }.Concat(args).ToArray());
        }

        private static void Run(string file, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (string a in args) psi.ArgumentList.Add(a);
            using Process p = Process.Start(psi)!;
            p.StandardInput.Close();
            // pg_ctl start leaves the server holding our pipes: read what comes until the program exits, not to their end.
            Task<string> output = p.StandardOutput.ReadToEndAsync(), error = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            Task.WaitAll(new Task[] { output, error }, TimeSpan.FromSeconds(5));
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"{file} {string.Join(" ", args)} exited {p.ExitCode}: {(error.IsCompleted ? error.Result : "")}{(output.IsCompleted ? output.Result : "")}");
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        public void Dispose()
        {
            try
            {
                if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid"))) Server("pg_ctl", "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30");
            }
            catch (InvalidOperationException) { }
            try { Directory.Delete(_base, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
