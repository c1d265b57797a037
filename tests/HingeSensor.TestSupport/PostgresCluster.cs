using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace HingeSensor.TestSupport
{
    /// <summary>
    /// One throwaway PostgreSQL cluster for the whole test run: initdb into a temporary directory,
    /// a free loopback port, its unix socket in that directory, pg_ctl start, ready when a
    /// connection opens (polled). Each test class takes a database of its own
    /// (<see cref="PostgresDatabase"/>). Stopped and removed when the test process has ended
    /// (<see cref="StopWhenThisProcessEnds"/>); a cluster left behind all the same is stopped and
    /// removed by the next run.
    ///
    /// The binaries: $HINGESENSOR_PG_BIN, else the newest /usr/lib/postgresql/*/bin (Debian's
    /// `postgresql` package), else initdb on PATH. initdb and postgres refuse to run as root: as
    /// root the cluster belongs to an unprivileged user ($HINGESENSOR_PG_USER, else `postgres`,
    /// which Debian's package creates, else `nobody`) and its server programs run through
    /// `runuser -u USER --`. The clients (Npgsql, pg_dump, psql) connect over TCP with a password
    /// and run as whoever runs the tests. Without PostgreSQL the tests skip saying why, except
    /// under HINGESENSOR_CI=1 (.ci/run installs it), where that is a failure.
    /// </summary>
    public sealed class PostgresCluster
    {
        public const string AdminUser = "hinge_test";
        private const string DirectoryPrefix = "hinge-pg-";

        private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

        private readonly string _base;
        private readonly string? _runAs;

        private PostgresCluster(string bin, string baseDir, string? runAs, string password)
        {
            BinDirectory = bin;
            _base = baseDir;
            _runAs = runAs;
            Password = password;
        }

        public string BinDirectory { get; }
        public string DataDirectory => Path.Combine(_base, "data");
        public string SocketDirectory => Path.Combine(_base, "socket");
        public string LogFile => Path.Combine(_base, "postgres.log");
        public int Port { get; private set; }
        public string Password { get; }

        public static bool InCi => Environment.GetEnvironmentVariable("HINGESENSOR_CI") == "1";

        /// <summary>The run's cluster, started on first use; a skip (a failure in CI) when PostgreSQL is not installed.</summary>
        public static async Task<PostgresCluster> GetAsync()
        {
            if (FindBinaries(out string why) == null)
            {
                if (InCi) Assert.Fail("HINGESENSOR_CI=1 but " + why);
                Skip.If(true, why + "; the team server tests are skipped");
            }
            return await Shared.Value;
        }

        /// <summary>
        /// A cluster of the caller's own, for a test that stops or restarts PostgreSQL (the shared
        /// one serves the other classes meanwhile); <see cref="Remove"/> it at the end.
        /// </summary>
        public static async Task<PostgresCluster> StartOwnAsync()
        {
            await GetAsync(); // the same skip, or failure in CI, without PostgreSQL
            return await StartAsync(durableCommits: true);
        }

        /// <summary>
        /// Stops the cluster in immediate mode (no checkpoint, every backend killed: its connections
        /// and transactions end where they are, as in a crash) and starts it again on the same port;
        /// returns once a connection opens. <paramref name="whileDown"/> runs while it is down.
        /// </summary>
        public async Task RestartImmediateAsync(Func<Task>? whileDown = null)
        {
            Checked(ServerProgram("pg_ctl", "stop", "-D", DataDirectory, "-m", "immediate", "-w"));
            if (whileDown != null) await whileDown();
            Checked(ServerProgram("pg_ctl", "start", "-D", DataDirectory, "-l", LogFile, "-W"));
            if (!await ReadyAsync(TimeSpan.FromSeconds(60)))
                throw new InvalidOperationException($"PostgreSQL in {_base} did not come back on 127.0.0.1:{Port}: {File.ReadAllText(LogFile)}");
        }

        /// <summary>Stops a cluster of <see cref="StartOwnAsync"/> and removes its directory.</summary>
        public void Remove() => Stop();

        /// <summary>A connection string to one database of the cluster, as a deployment would write it (TCP, password).</summary>
        public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Database = database,
            Username = AdminUser,
            Password = Password,
            MaxPoolSize = 10,
        }.ConnectionString;

        /// <summary>A new empty database named after what it is for.</summary>
        public async Task<string> CreateDatabaseAsync(string purpose)
        {
            string name = ("hinge_" + new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray()) + "_" + Guid.NewGuid().ToString("N")[..8]);
            await AdminAsync($"CREATE DATABASE {name}");
            return name;
        }

        public Task DropDatabaseAsync(string name) => AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");

        public async Task AdminAsync(string sql)
        {
            await using var c = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, c);
            await cmd.ExecuteNonQueryAsync();
        }

        /// <summary>Runs one of the cluster's client programs (pg_dump, psql) against it; throws with its stderr when it fails.</summary>
        public string RunClient(string program, params string[] args)
        {
            var psi = new ProcessStartInfo(Path.Combine(BinDirectory, program)) { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("--host=127.0.0.1");
            psi.ArgumentList.Add($"--port={Port}");
            psi.ArgumentList.Add($"--username={AdminUser}");
            foreach (string a in args) psi.ArgumentList.Add(a);
            psi.Environment["PGPASSWORD"] = Password;
            var (code, output, error) = Run(psi);
            if (code != 0) throw new InvalidOperationException($"{program} {string.Join(" ", args)} exited {code}: {error}");
            return output;
        }

        private static Task<PostgresCluster> StartAsync() => StartAsync(durableCommits: false);

        /// <param name="durableCommits">
        /// A commit answered is on disk (synchronous_commit = on, as deployments run): what a test
        /// that crashes PostgreSQL needs. Otherwise the last commits before a crash may be lost,
        /// which the other tests never see and which makes them faster.
        /// </param>
        private static async Task<PostgresCluster> StartAsync(bool durableCommits)
        {
            string bin = FindBinaries(out string why) ?? throw new InvalidOperationException(why);
            RemoveAbandonedClusters(bin);
            string? runAs = Environment.IsPrivilegedProcess ? UnprivilegedUser() : null;
            string baseDir = Path.Combine(Path.GetTempPath(), DirectoryPrefix + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(baseDir);
            File.WriteAllText(Path.Combine(baseDir, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            var cluster = new PostgresCluster(bin, baseDir, runAs, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
            try
            {
                await cluster.InitAndStartAsync(durableCommits);
            }
            catch
            {
                cluster.Stop();
                throw;
            }
            cluster.StopWhenThisProcessEnds();
            return cluster;
        }

        /// <summary>
        /// The test runner ends the test process without waiting for exit handlers to finish, so the
        /// cluster is stopped from outside it: a watcher in a session of its own waits for this
        /// process to be gone (`tail --pid`), then stops the server and removes the directory, and exits.
        /// Its output goes nowhere: tail -f ends at once when the pipe it writes to is closed.
        /// </summary>
        private void StopWhenThisProcessEnds()
        {
            string pgCtl = Path.Combine(BinDirectory, "pg_ctl");
            string stop = (_runAs == null ? "" : $"runuser -u {_runAs} -- ") + $"{pgCtl} stop -D {DataDirectory} -m fast -w -t 30";
            var psi = new ProcessStartInfo("setsid") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "sh", "-c", $"exec </dev/null >/dev/null 2>&1; tail --pid={Environment.ProcessId} -f /dev/null; {stop}; rm -rf {_base}" })
                psi.ArgumentList.Add(a);
            using Process watcher = Process.Start(psi)!;
        }

        private async Task InitAndStartAsync(bool durableCommits)
        {
            Directory.CreateDirectory(SocketDirectory);
            string pwfile = Path.Combine(_base, "pwfile");
            File.WriteAllText(pwfile, Password + "\n");
            if (_runAs != null) Checked(new ProcessStartInfo("chown") { ArgumentList = { "-R", _runAs + ":", _base } });
            Checked(ServerProgram("initdb", "-D", DataDirectory, "-U", AdminUser, "--pwfile", pwfile, "--auth-local=trust", "--auth-host=scram-sha-256",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"));
            File.Delete(pwfile);

            // A free port now may be taken before the server binds it (other runs share the machine): then try another.
            for (int attempt = 1; ; attempt++)
            {
                Port = FreePort();
                // Appended after initdb's settings: the last of a name wins. Throwaway data: no fsync.
                File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), string.Join("\n",
                    "", $"port = {Port}", "listen_addresses = '127.0.0.1'", $"unix_socket_directories = '{SocketDirectory}'",
                    "max_connections = 200", "fsync = off", $"synchronous_commit = {(durableCommits ? "on" : "off")}", "full_page_writes = off", "shared_buffers = 32MB", ""));
                Checked(ServerProgram("pg_ctl", "start", "-D", DataDirectory, "-l", LogFile, "-W"));
                if (await ReadyAsync(TimeSpan.FromSeconds(60))) return;
                string log = File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";
                Run(ServerProgram("pg_ctl", "stop", "-D", DataDirectory, "-m", "immediate", "-w"));
                if (attempt < 3 && log.Contains("could not bind", StringComparison.Ordinal)) continue;
                throw new InvalidOperationException($"PostgreSQL in {_base} did not accept connections on 127.0.0.1:{Port} within 60 s. Its log:\n{log}");
            }
        }

        // Ready is a connection that opens; until then the server is starting, or has failed (pg_ctl status says which).
        private async Task<bool> ReadyAsync(TimeSpan limit)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < limit)
            {
                try
                {
                    await using var c = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false;Timeout=5");
                    await c.OpenAsync();
                    return true;
                }
                catch (Exception e) when (e is NpgsqlException || e is SocketException || e is IOException)
                {
                    if (Run(ServerProgram("pg_ctl", "status", "-D", DataDirectory)).Code == 3 && watch.Elapsed > TimeSpan.FromSeconds(2)) return false; // no server running
                    await Task.Delay(50);
                }
            }
            return false;
        }

        private void Stop()
        {
            if (Directory.Exists(DataDirectory) && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                Run(ServerProgram("pg_ctl", "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30"));
            try { Directory.Delete(_base, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        /// <summary>Clusters of earlier runs whose test process is gone (killed before it could stop them): stopped and removed.</summary>
        private static void RemoveAbandonedClusters(string bin)
        {
            foreach (string dir in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
            {
                string pidFile = Path.Combine(dir, "owner.pid");
                if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile), out int pid) || Directory.Exists($"/proc/{pid}")) continue;
                string? user = Environment.IsPrivilegedProcess ? UnprivilegedUser() : null;
                var abandoned = new PostgresCluster(bin, dir, user, "");
                abandoned.Stop();
            }
        }

        private ProcessStartInfo ServerProgram(string program, params string[] args)
        {
            string path = Path.Combine(BinDirectory, program);
            ProcessStartInfo psi;
            if (_runAs == null) psi = new ProcessStartInfo(path);
            else
            {
                psi = new ProcessStartInfo("runuser");
                foreach (string a in new[] { "-u", _runAs, "--", path }) psi.ArgumentList.Add(a);
            }
            foreach (string a in args) psi.ArgumentList.Add(a);
            psi.WorkingDirectory = _base;
            return psi;
        }

        private static void Checked(ProcessStartInfo psi)
        {
            var (code, output, error) = Run(psi);
            if (code != 0) throw new InvalidOperationException($"{psi.FileName} {string.Join(" ", psi.ArgumentList)} exited {code}: {error}{output}");
        }

        private static (int Code, string Output, string Error) Run(ProcessStartInfo psi)
        {
            psi.RedirectStandardOutput = true;
            psi.RedirectStandardError = true;
            psi.RedirectStandardInput = true;
            using Process p = Process.Start(psi)!;
            p.StandardInput.Close();
            // pg_ctl start leaves the server running with our pipes: read to the end would wait for it, so read what comes until the program exits.
            Task<string> output = p.StandardOutput.ReadToEndAsync();
            Task<string> error = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            Task.WaitAll(new Task[] { output, error }, TimeSpan.FromSeconds(5));
            return (p.ExitCode, output.IsCompleted ? output.Result : "", error.IsCompleted ? error.Result : "");
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        private static string UnprivilegedUser()
        {
            var candidates = new List<string>();
            if (Environment.GetEnvironmentVariable("HINGESENSOR_PG_USER") is { Length: > 0 } u) candidates.Add(u);
            candidates.Add("postgres");
            candidates.Add("nobody");
            foreach (string c in candidates)
                if (Run(new ProcessStartInfo("id") { ArgumentList = { "-u", c } }).Code == 0) return c;
            throw new InvalidOperationException("running as root, and neither postgres nor nobody exists to run PostgreSQL's server programs (they refuse root); set HINGESENSOR_PG_USER");
        }

        /// <summary>The directory holding initdb, pg_ctl and postgres (and the clients), or null with why not.</summary>
        public static string? FindBinaries(out string why)
        {
            static bool Has(string dir) => new[] { "initdb", "pg_ctl", "postgres", "pg_dump", "psql" }.All(p => File.Exists(Path.Combine(dir, p)));
            if (Environment.GetEnvironmentVariable("HINGESENSOR_PG_BIN") is { Length: > 0 } env)
            {
                why = Has(env) ? "" : $"HINGESENSOR_PG_BIN={env} does not hold initdb, pg_ctl, postgres, pg_dump and psql";
                return Has(env) ? env : null;
            }
            const string debian = "/usr/lib/postgresql";
            if (Directory.Exists(debian))
            {
                string? newest = Directory.EnumerateDirectories(debian)
                    .Select(d => (Dir: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : -1))
                    .Where(d => d.Version > 0 && Has(d.Dir)).OrderByDescending(d => d.Version).Select(d => d.Dir).FirstOrDefault();
                if (newest != null)
                {
                    why = "";
                    return newest;
                }
            }
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string initdb = Path.Combine(dir, "initdb");
                if (!File.Exists(initdb)) continue;
                string real = Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(true)?.FullName ?? initdb)!;
                if (Has(real))
                {
                    why = "";
                    return real;
                }
            }
            why = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin, no initdb on PATH; apt-get install postgresql, or set HINGESENSOR_PG_BIN)";
            return null;
        }
    }

    /// <summary>A database of its own for one test class, dropped after it.</summary>
    public sealed class PostgresDatabase : IAsyncLifetime
    {
        private string? _name;

        public PostgresCluster? Cluster { get; private set; }

        public string Name => _name ?? throw new InvalidOperationException("not created");

        public string ConnectionString => Cluster!.ConnectionString(Name);

        public async Task InitializeAsync()
        {
            // Without PostgreSQL the skip (or the CI failure) is raised by each test through Require.
            if (PostgresCluster.FindBinaries(out _) == null) return;
            Cluster = await PostgresCluster.GetAsync();
            _name = await Cluster.CreateDatabaseAsync("class");
        }

        /// <summary>The cluster, or the test skipped (failed in CI) saying why there is none.</summary>
        public PostgresCluster Require()
        {
            if (Cluster == null)
            {
                PostgresCluster.FindBinaries(out string why);
                if (PostgresCluster.InCi) Assert.Fail("HINGESENSOR_CI=1 but " + why);
                Skip.If(true, why);
            }
            return Cluster!;
        }

        public async Task DisposeAsync()
        {
            if (Cluster != null && _name != null) await Cluster.DropDatabaseAsync(_name);
        }
    }
}
