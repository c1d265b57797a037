using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.TeamServer;
using HingeSensor.Host.Web;
using HingeSensor.Server;
using HingeSensor.Server.Accounts;
using HingeSensor.Server.Schema;
using Npgsql;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// `hinge server --db "Host=…;Database=…"`: the team server on PostgreSQL (docs/team-server.md),
    /// and its administration at the command line — teams, people and their roles, upload tokens,
    /// devices — for the first coach and for scripts.
    /// </summary>
    internal static class ServerCommand
    {
        private static Option<string> Db() => new("--db")
        {
            Description = "PostgreSQL connection string, e.g. \"Host=127.0.0.1;Database=hinge;Username=hinge;Password=…\" (Npgsql's keywords; PGPASSWORD and ~/.pgpass are read too).",
            Required = true,
            Recursive = true,
        };

        public static Command Create()
        {
            var db = Db();
            var urls = new Option<string[]>("--urls")
            {
                Description = $"Addresses to listen on (default {TeamServerOptions.DefaultUrl}; port 0 picks a free one). Plain HTTP: put a TLS proxy in front (docs/team-server.md).",
                AllowMultipleArgumentsPerToken = true,
            };
            var perAccount = new Option<int>("--login-attempts-per-account") { Description = "Sign-in attempts allowed per email address in 15 minutes, right or wrong.", DefaultValueFactory = _ => 5 };
            var perAddress = new Option<int>("--login-attempts-per-address") { Description = "Sign-in attempts allowed per client address in 15 minutes.", DefaultValueFactory = _ => 30 };
            var cmd = new Command("server", "The team server on PostgreSQL: accounts, teams, upload tokens, sessions from `hinge sync`.") { db, urls, perAccount, perAddress };
            cmd.SetAction(async (p, ct) =>
            {
                TextWriter output = TextWriter.Synchronized(p.InvocationConfiguration.Output), error = p.InvocationConfiguration.Error;
                var options = new TeamServerOptions
                {
                    ConnectionString = p.GetValue(db)!,
                    Urls = p.GetValue(urls) is { Length: > 0 } u ? u : new[] { TeamServerOptions.DefaultUrl },
                    Inspector = new HostSessionInspector(),
                    Reports = new HostSessionReports(),
                    LoginAttemptsPerAccount = p.GetValue(perAccount),
                    LoginAttemptsPerAddress = p.GetValue(perAddress),
                };
                if (options.LoginAttemptsPerAccount < 1 || options.LoginAttemptsPerAddress < 1)
                {
                    error.WriteLine("hinge server: sign-in attempts allowed must be at least 1");
                    return 2;
                }
                Server.TeamServer server;
                try { server = await Server.TeamServer.StartAsync(options, ct); }
                catch (TeamServerStartException e)
                {
                    error.WriteLine($"hinge server: {e.Message}");
                    return 2;
                }
                await using (server)
                {
                    foreach (string url in server.Urls.Where(x => !DashboardUrls.IsLoopback(x)))
                        error.WriteLine($"hinge server: warning: {url} is plain http, readable on the network: put a TLS proxy in front (docs/team-server.md); sign-in cookies are only sent over https");
                    output.WriteLine($"team server on {string.Join(", ", server.Urls)}; GET /health says when the database is ready; Ctrl+C stops");
                    output.Flush();
                    _ = server.Database.Ready.ContinueWith(v =>
                    {
                        output.WriteLine($"database ready: schema version {v.Result}");
                        output.Flush();
                    }, TaskContinuationOptions.OnlyOnRanToCompletion);
                    SchemaRefusedException? refused = await server.RunAsync(ct);
                    if (refused != null)
                    {
                        error.WriteLine($"hinge server: {refused.Message}");
                        return 2;
                    }
                }
                return 0;
            });
            cmd.Subcommands.Add(Team());
            cmd.Subcommands.Add(Person());
            cmd.Subcommands.Add(Token());
            cmd.Subcommands.Add(Device());
            return cmd;
        }

        private static Command Team()
        {
            var name = new Argument<string>("name") { Description = "The team's name." };
            var add = new Command("add", "Adds a team.") { name };
            add.SetAction((p, ct) => Admin(p, ct, async (accounts, _) =>
            {
                long id = await accounts.CreateTeamAsync(p.GetValue(name)!, ct);
                p.InvocationConfiguration.Output.WriteLine($"team '{p.GetValue(name)!.Trim()}' added (id {id})");
            }));
            return new Command("team", "Teams.") { add };
        }

        private static Command Person()
        {
            var email = new Option<string>("--email") { Description = "Their email address (what they sign in with).", Required = true };
            var name = new Option<string>("--name") { Description = "Their name as coaches see it.", Required = true };
            var team = new Option<string?>("--team") { Description = "A team to put them in." };
            var role = new Option<string>("--role") { Description = "Their role in that team: coach (or clinician), athlete (or patient).", DefaultValueFactory = _ => Roles.Athlete };
            var passwordFile = new Option<string?>("--password-file") { Description = "A file whose first line is their password (- reads standard input); without it they cannot sign in, only sync with a token." };
            var add = new Command("add", "Adds a person, optionally to a team with a role.") { email, name, team, role, passwordFile };
            add.SetAction((p, ct) => Admin(p, ct, async (accounts, _) =>
            {
                string r = Roles.Parse(p.GetValue(role)!);
                long? teamId = p.GetValue(team) is string t ? await accounts.TeamIdAsync(t, ct) : null;
                string? password = p.GetValue(passwordFile) is string f ? ReadPassword(f) : null;
                long id = await accounts.AddPersonAsync(p.GetValue(email)!, p.GetValue(name)!, password, ct);
                if (teamId != null) await accounts.JoinAsync(teamId.Value, id, r, ct);
                p.InvocationConfiguration.Output.WriteLine($"{AccountStore.NormalizeEmail(p.GetValue(email)!)} added (id {id}){(teamId != null ? $", {r} in {p.GetValue(team)!.Trim()}" : "")}{(password == null ? "; no password: syncs with a token, cannot sign in" : "")}");
            }));

            var joinEmail = new Option<string>("--email") { Description = "Their email address.", Required = true };
            var joinTeam = new Option<string>("--team") { Description = "The team.", Required = true };
            var joinRole = new Option<string>("--role") { Description = "coach (or clinician), athlete (or patient).", Required = true };
            var join = new Command("join", "Puts a person in a team with a role (again: changes the role).") { joinEmail, joinTeam, joinRole };
            join.SetAction((p, ct) => Admin(p, ct, async (accounts, _) =>
            {
                string r = Roles.Parse(p.GetValue(joinRole)!);
                Person who = await accounts.RequireByEmailAsync(p.GetValue(joinEmail)!, ct);
                await accounts.JoinAsync(await accounts.TeamIdAsync(p.GetValue(joinTeam)!, ct), who.Id, r, ct);
                p.InvocationConfiguration.Output.WriteLine($"{who.Email} is {r} in {p.GetValue(joinTeam)!.Trim()}");
            }));

            var pwEmail = new Option<string>("--email") { Description = "Their email address.", Required = true };
            var pwFile = new Option<string>("--password-file") { Description = "A file whose first line is the new password (- reads standard input).", Required = true };
            var password = new Command("password", "Sets a person's password.") { pwEmail, pwFile };
            password.SetAction((p, ct) => Admin(p, ct, async (accounts, _) =>
            {
                Person who = await accounts.RequireByEmailAsync(p.GetValue(pwEmail)!, ct);
                await accounts.SetPasswordAsync(who.Id, ReadPassword(p.GetValue(pwFile)!), ct);
                p.InvocationConfiguration.Output.WriteLine($"password of {who.Email} set");
            }));
            return new Command("person", "People: coaches, clinicians, athletes, patients.") { add, join, password };
        }

        private static Command Token()
        {
            var email = new Option<string>("--email") { Description = "Whose token: their sessions are uploaded with it.", Required = true };
            var label = new Option<string>("--label") { Description = "What it is for (e.g. the laptop it goes on).", DefaultValueFactory = _ => "upload token" };
            var create = new Command("new", "A new upload token for a person (shown once).") { email, label };
            create.SetAction((p, ct) => Admin(p, ct, async (accounts, _) =>
            {
                Person who = await accounts.RequireByEmailAsync(p.GetValue(email)!, ct);
                var (id, secret) = await accounts.IssueTokenAsync(who.Id, p.GetValue(label)!, ct);
                p.InvocationConfiguration.Output.WriteLine(secret);
                p.InvocationConfiguration.Error.WriteLine($"hinge server token new: token {id} for {who.Email}: shown this once (the server keeps only its hash); `hinge sync --server URL --token …` uploads with it");
            }));
            var id = new Argument<long>("id") { Description = "The token's number." };
            var revoke = new Command("revoke", "Revokes an upload token: refused from the next request on.") { id };
            revoke.SetAction((p, ct) => Admin(p, ct, async (accounts, _) =>
            {
                if (!await accounts.RevokeTokenAsync(p.GetValue(id), null, ct)) throw new AccountException($"no token {p.GetValue(id)}");
                p.InvocationConfiguration.Output.WriteLine($"token {p.GetValue(id)} revoked");
            }));
            return new Command("token", "Upload tokens.") { create, revoke };
        }

        private static Command Device()
        {
            var serial = new Argument<string>("serial") { Description = "The device's serial (as `hinge device status` shows it)." };
            var email = new Option<string>("--email") { Description = "Whose device it is from now on.", Required = true };
            var register = new Command("register", "Registers a device to a person: its sessions are theirs (a device is registered to whoever uploads its first session).") { serial, email };
            register.SetAction((p, ct) => Admin(p, ct, async (accounts, _) =>
            {
                Person who = await accounts.RequireByEmailAsync(p.GetValue(email)!, ct);
                await accounts.RegisterDeviceAsync(p.GetValue(serial)!, who.Id, ct);
                p.InvocationConfiguration.Output.WriteLine($"device {p.GetValue(serial)!.Trim()} registered to {who.Email}");
            }));
            return new Command("device", "Devices.") { register };
        }

        private static string ReadPassword(string file)
        {
            string? line = file == "-" ? Console.In.ReadLine() : File.ReadLines(file).FirstOrDefault();
            return line ?? throw new AccountException($"{(file == "-" ? "standard input" : file)} holds no password");
        }

        // Migrates (as the server would at start), then does one thing; a sentence and exit 2 when it cannot.
        private static async Task<int> Admin(ParseResult p, CancellationToken ct, Func<AccountStore, NpgsqlDataSource, Task> action)
        {
            string name = CommandName.Of(p);
            try
            {
                await using NpgsqlDataSource db = NpgsqlDataSource.Create(p.GetRequiredValue<string>("--db"));
                await SchemaMigrator.MigrateAsync(db, ct);
                await action(new AccountStore(db), db);
                return 0;
            }
            catch (Exception e) when (e is AccountException || e is SchemaRefusedException || e is ArgumentException || e is IOException)
            {
                p.InvocationConfiguration.Error.WriteLine($"{name}: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is NpgsqlException || e is SocketException || e is TimeoutException)
            {
                p.InvocationConfiguration.Error.WriteLine($"{name}: the database cannot be used: {e.Message}");
                return 2;
            }
        }
    }
}
