using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using HingeSensor.Host.Reports;
using HingeSensor.Host.Storage;
using Xunit;
using HingeSensor.TestSupport;

namespace HingeSensor.Host.Tests.Reports
{
    /// <summary>
    /// One `hinge demo` run as the README runs it (default speed, here with --json), shared by the
    /// tests that read its results: <see cref="Device.DemoTests"/> checks the run and what it stored;
    /// the report tests use its database, to which a simulated recording stored by `hinge analyze
    /// --save` is then added, so that trends have two sessions of different origin. The demo report
    /// is rendered once here too.
    /// </summary>
    public sealed class DemoSessionFixture : IDisposable
    {
        private readonly TempDir _dir = new();

        public DemoSessionFixture()
        {
            DbPath = _dir.File("hinge.db");
            (DemoExitCode, DemoOutput, DemoErrors) = CliTests.Hinge("demo", "--db", DbPath, "--json");
            if (DemoExitCode != 0) throw new InvalidOperationException($"hinge demo failed ({DemoExitCode}): {DemoErrors}{DemoOutput}");
            using (var first = new SessionDatabase(DbPath))
            {
                SessionsAfterDemo = first.ListSessions();
                DemoSessionId = SessionsAfterDemo.Single().Id;
            }

            var sim = CliTests.Hinge("simulate", "--scenario", "ci/ci-01", "--seed", "5", "--out", _dir.File("raw.csv"));
            if (sim.Code != 0) throw new InvalidOperationException("hinge simulate failed: " + sim.Err);
            var analyze = CliTests.Hinge("analyze", "--input", _dir.File("raw.csv"), "--out", _dir.File("result.json"), "--save", "--db", DbPath);
            if (analyze.Code != 0) throw new InvalidOperationException("hinge analyze failed: " + analyze.Err);

            using var db = new SessionDatabase(DbPath);
            Demo = db.GetSession(DemoSessionId) ?? throw new InvalidOperationException("the demo session was not stored");
            var clock = Stopwatch.StartNew();
            DemoReport = SessionReportPage.Build(Demo);
            FirstRenderTime = clock.Elapsed;
        }

        public string DbPath { get; }

        /// <summary>What `hinge demo --json` printed and returned.</summary>
        public int DemoExitCode { get; }
        public string DemoOutput { get; }
        public string DemoErrors { get; }

        /// <summary>The database's sessions as the demo left it (before the analysed recording was added).</summary>
        public IReadOnlyList<StoredSessionSummary> SessionsAfterDemo { get; }

        public long DemoSessionId { get; }
        public StoredSession Demo { get; }
        public SessionReport DemoReport { get; }

        /// <summary>The first render in the process: includes loading ScottPlot, Skia and the font.</summary>
        public TimeSpan FirstRenderTime { get; }

        public string Scratch(string name) => _dir.File(name);

        public void Dispose() => _dir.Dispose();
    }

    [CollectionDefinition(Name)]
    [StartsEarly(0)]
    public sealed class DemoSessionCollection : ICollectionFixture<DemoSessionFixture>
    {
        public const string Name = "demo session";
    }
}
