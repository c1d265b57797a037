using System;
using System.Collections.Generic;
using HingeSensor.Server.Uploads;
using HingeSensor.Server.Views;

namespace HingeSensor.Server
{
    /// <summary>What `hinge server` runs.</summary>
    public sealed record TeamServerOptions
    {
        public const string DefaultUrl = "http://127.0.0.1:5190";

        /// <summary>An Npgsql connection string ("Host=…;Database=…;Username=…;Password=…").</summary>
        public required string ConnectionString { get; init; }

        public IReadOnlyList<string> Urls { get; init; } = new[] { DefaultUrl };

        /// <summary>Decodes and checks every uploaded session (the host's decoder).</summary>
        public required ISessionInspector Inspector { get; init; }

        /// <summary>
        /// Draws a session's report and a person's trend figures (the host's report code). Without
        /// it a report answers 503 saying so and the trend page has its table only.
        /// </summary>
        public ISessionReports? Reports { get; init; }

        /// <summary>Sign-in attempts allowed per email address in <see cref="LoginWindow"/>, right or wrong.</summary>
        public int LoginAttemptsPerAccount { get; init; } = 5;

        /// <summary>Sign-in attempts allowed per client address in <see cref="LoginWindow"/> (behind a proxy on this machine: the address it forwards).</summary>
        public int LoginAttemptsPerAddress { get; init; } = 30;

        public TimeSpan LoginWindow { get; init; } = TimeSpan.FromMinutes(15);

        /// <summary>How long a sign-in lasts without being used.</summary>
        public TimeSpan SignInLifetime { get; init; } = TimeSpan.FromHours(12);

        /// <summary>The first wait before connecting again to a database that is not reachable yet (doubling to 10 s).</summary>
        public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

        /// <summary>An upload not continued for this long is dropped at the next start.</summary>
        public TimeSpan AbandonedUploadAge { get; init; } = TimeSpan.FromDays(7);
    }
}
