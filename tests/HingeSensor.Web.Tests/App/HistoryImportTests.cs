using HingeSensor.TestSupport;
using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using HingeSensor.Host.Cli;
using HingeSensor.Web.Tests.Codec;
using Xunit;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// `hinge history import`: the session files the web app hands to a laptop (the device's own
    /// files) stored once per content, the device named from the file's header; anything else
    /// refused by name, nothing stored for it, the good files beside it stored all the same.
    /// </summary>
    public class HistoryImportTests
    {
        private static (int Code, string Out, string Err) Hinge(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = HingeCli.Run(args, o, e);
            return (code, o.ToString(), e.ToString());
        }

        private static byte[] Golden(string name) =>
            Convert.FromHexString((string)CodecGoldenTests.Set.Value.OfKind("session").Single(v => (string)v["name"]! == name)["hex"]!);

        [Fact]
        public void Session_files_are_stored_once_and_anything_else_is_refused_by_name()
        {
            using var dir = new TempDir();
            string db = dir.File("laptop.db");
            string workout = dir.File("workout.hsession"), plain = dir.File("plain.hsession"), junk = dir.File("notes.hsession");
            File.WriteAllBytes(workout, Golden("session workout at 5 Hz"));
            File.WriteAllBytes(plain, Golden("session plain, stopped by full storage"));
            File.WriteAllText(junk, "not a session");

            var first = Hinge("history", "import", workout, "--db", db);
            Assert.True(first.Code == 0, first.Err);
            Assert.Equal($"{workout} → #1", first.Out.Trim());

            // A junk file and a missing one beside a good one: each refused by name, the good one stored.
            var mixed = Hinge("history", "import", junk, dir.File("gone.hsession"), plain, workout, "--db", db);
            Assert.Equal(1, mixed.Code);
            Assert.Contains($"hinge history import: {junk}: not a session file that decodes (", mixed.Err);
            Assert.Contains("nothing stored", mixed.Err);
            Assert.Contains($"hinge history import: {dir.File("gone.hsession")}: no such file", mixed.Err);
            Assert.Contains($"{plain} → #2", mixed.Out);
            Assert.Contains($"{workout} → #1 (already stored)", mixed.Out);
            Assert.Equal("not a session", File.ReadAllText(junk)); // left as it was

            using JsonDocument list = JsonDocument.Parse(Hinge("history", "list", "--db", db, "--json").Out);
            Assert.Equal(2, list.RootElement.GetArrayLength());
            Assert.All(list.RootElement.EnumerateArray(), s => Assert.Equal("device", s.GetProperty("source").GetString()));
            Assert.Equal("HS1-000042-ABCDE", list.RootElement[0].GetProperty("device").GetString()); // from the file's header
        }
    }
}
