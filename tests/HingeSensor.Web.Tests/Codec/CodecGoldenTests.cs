using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Protocol;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>
    /// The web app's wire protocol (wwwroot/app/protocol.js) against the C# one: golden vectors the
    /// C# encoders and decoders make now (GoldenVectors), decoded and encoded again by the
    /// JavaScript under node (Codec/golden.mjs); a new opcode, result, event or config field
    /// without a vector fails here, and so does any disagreement, in either direction.
    /// </summary>
    public class CodecGoldenTests
    {
        internal static readonly Lazy<VectorSet> Set = new(GoldenVectors.Build);
        private static readonly Lazy<JsonObject> Constants = new(WireConstants.Build);

        private static string Protocol => RepositoryPaths.InRepo("host", "HingeSensor.Host", "Web", "wwwroot", "app", "protocol.js");
        private static string Runner => RepositoryPaths.InRepo("tests", "HingeSensor.Web.Tests", "Codec", "golden.mjs");

        private static IEnumerable<JsonNode> Expect(string kind) => Set.Value.OfKind(kind).Select(v => v["expect"]!);
        private static IEnumerable<JsonObject> Malformed(string decoder) => Set.Value.OfKind("malformed").Where(v => (string)v["decoder"]! == decoder);
        // Numbers kept as the C# wrote them (a byte, a uint…), read as what JSON makes of them.
        private static int Int(JsonNode? n) => int.Parse(n!.ToJsonString());

        [Fact]
        public void Every_opcode_result_code_event_and_config_field_has_golden_vectors()
        {
            var missing = new List<string>();
            void Need(bool present, string what) { if (!present) missing.Add(what); }

            var responses = Expect("control").Where(e => (string)e["message"]! == "response").ToList();
            var events = Expect("control").Where(e => (string)e["message"]! == "event").ToList();
            foreach (Opcode op in Enum.GetValues<Opcode>())
            {
                Need(Expect("request").Any(e => Int(e["opcode"]) == (int)op), $"a request {op}");
                Need(responses.Any(e => Int(e["opcode"]) == (int)op), $"a response to {op}");
            }
            foreach (ResultCode r in Enum.GetValues<ResultCode>()) Need(responses.Any(e => Int(e["result"]) == (int)r), $"a response {r}");
            foreach (DeviceEvent e in Enum.GetValues<DeviceEvent>())
            {
                Need(events.Any(x => Int(x["event"]) == (int)e), $"an event {e}");
                Need(Malformed("control").Any(v => ((string)v["hex"]!).StartsWith($"f1{(int)e:x2}")), $"a malformed event {e}");
            }
            foreach (ConfigField f in Enum.GetValues<ConfigField>().Where(f => f != ConfigField.None))
            {
                Need(Malformed("config").Any(v => Int(v["field"]) == (int)f), $"a config record refused for {f}");
                Need(Malformed("request").Any(v => v["field"] != null && Int(v["field"]) == (int)f), $"a WriteConfig refused for {f}");
                Need(responses.Any(e => e["field"] != null && Int(e["field"]) == (int)f), $"a WriteConfig answer naming {f}");
            }
            Need(Expect("config").Any(), "a valid config record");
            foreach (int kind in new[] { LivePacket.KindFull, LivePacket.KindCompact }) Need(Expect("live").Any(e => Int(e["kind"]) == kind), $"a live packet of kind {kind}");
            var sessions = Set.Value.OfKind("session").Select(v => Convert.FromHexString((string)v["hex"]!)).ToList();
            for (int type = SessionFormat.ChunkHeader; type <= SessionFormat.ChunkEnd; type++)
                Need(sessions.Any(f => ChunkTypes(f).Contains(type)), $"a session with a chunk of type {type}");
            foreach (SessionEventKind k in Enum.GetValues<SessionEventKind>())
                Need(Expect("session").Any(s => s["events"]!.AsArray().Any(e => Int(e!["kind"]) == (int)k)), $"a session event {k}");
            foreach (CoachingCue c in Enum.GetValues<CoachingCue>().Where(c => c != CoachingCue.None))
                Need(events.Any(e => e["cue"] != null && Int(e["cue"]) == (int)c), $"a Cue event {c}");
            foreach (string kind in new[] { "status", "battery", "sessionData", "crc32", "sha256", "configNotification" }) Need(Set.Value.OfKind(kind).Any(), $"a {kind} vector");
            foreach (string decoder in new[] { "request", "control", "live", "status", "config", "sessionData", "listPage", "session" })
                Need(Malformed(decoder).Any(), $"a malformed {decoder}");
            Assert.True(missing.Count == 0, "no golden vector for: " + string.Join("; ", missing));
        }

        private static HashSet<int> ChunkTypes(byte[] file)
        {
            var types = new HashSet<int>();
            var r = new SessionChunkReader(file, file.Length);
            while (r.Next()) types.Add(r.Type);
            return types;
        }

        [SkippableFact]
        public void The_JavaScript_codec_agrees_with_the_CSharp_one_on_every_golden_vector()
        {
            (int exit, string output) = RunGolden(Set.Value.ToJson(Constants.Value), keep: "codec-golden-vectors.json");
            Assert.True(exit == 0, output);
            Assert.Contains(", 0 disagreements", output);
        }

        /// <summary>
        /// The run can fail, in every direction: planted disagreements in the vectors (a field the C#
        /// read differently, bytes the C# made differently, an input the C# refused, an opcode the C#
        /// has) and bugs planted in a copy of the JavaScript codec are each reported by name.
        /// </summary>
        [SkippableFact]
        public void A_planted_disagreement_fails_the_golden_run_and_is_named()
        {
            JsonObject doc = JsonNode.Parse(Set.Value.ToJson(Constants.Value))!.AsObject();
            JsonArray vectors = doc["vectors"]!.AsArray();
            JsonObject V(string name) => vectors.Select(v => v!.AsObject()).Single(v => (string)v["name"]! == name);

            JsonObject live = V("live full × 1 from frame 0");
            live["expect"]!["frames"]![0]!["repCount"] = 4;
            JsonObject request = V("request Download 1 from 238");
            request["hex"] = ((string)request["hex"]!)[..^2] + "01";
            JsonObject status = V("status recording");
            status["kind"] = "malformed";
            status["decoder"] = "status";
            status["refusedBy"] = "a planted refusal";
            doc["constants"]!["enums"]!["Opcode"]!["Teleport"] = 0x50;

            (int exit, string output) = RunGolden(doc.ToJsonString());
            Assert.Equal(1, exit);
            Assert.Contains("FAIL live full × 1 from frame 0: .frames[0].repCount: 3, C# 4", output);
            Assert.Contains("FAIL request Download 1 from 238:", output);
            Assert.Contains("FAIL status recording: accepted what a planted refusal refuses", output);
            Assert.Contains("FAIL enums Opcode: Opcode.Teleport: missing", output);
            // Those four and nothing else.
            var failed = output.Split('\n').Where(l => l.StartsWith("FAIL ")).Select(l => l[5..l.IndexOf(": ", StringComparison.Ordinal)]).Distinct().OrderBy(n => n);
            Assert.Equal(new[] { "enums Opcode", "live full × 1 from frame 0", "request Download 1 from 238", "status recording" }, failed);
        }

        [SkippableTheory]
        [InlineData("f.trunkFlexionCdeg = r.i16();", "f.trunkFlexionCdeg = r.u16();", "live")]
        [InlineData("['chinDropTenthsDeg', 2],\n  ['headUpTenthsDeg', 2]", "['headUpTenthsDeg', 2],\n  ['chinDropTenthsDeg', 2]", "config")]
        [InlineData("(e.reason < StopReason.StorageFull || e.reason > StopReason.Error ?", "(e.reason > StopReason.Error ?", "control refused: RecordingStopped reason 0")]
        [InlineData("v = (v | ((b & 0x7f) << shift)) >>> 0;", "v = (v | ((b & 0x7f) << shift)) >>> 1;", "session")]
        [InlineData("let c = Crc32.Start;", "let c = 0;", "crc32")]
        public void A_bug_planted_in_the_JavaScript_codec_fails_the_golden_run(string code, string bug, string failingVector)
        {
            using var dir = new TempDir();
            string source = File.ReadAllText(Protocol);
            Assert.Contains(code, source); // the planted bug must land: the codec's text is what this test edits
            string broken = Path.Combine(dir.Path, "protocol.js");
            File.WriteAllText(broken, source.Replace(code, bug));
            (int exit, string output) = RunGolden(Set.Value.ToJson(Constants.Value), module: broken);
            Assert.True(exit == 1, output);
            Assert.Contains("FAIL " + failingVector, output);
        }

        private static (int Exit, string Output) RunGolden(string json, string? keep = null, string? module = null)
        {
            string node = NodeJs.Executable;
            using var dir = new TempDir();
            string path = Path.Combine(dir.Path, "vectors.json");
            File.WriteAllText(path, json);
            if (keep != null) File.Copy(path, BrowserFixture.Artifact(keep), overwrite: true);
            return NodeJs.Run(Runner, path, module ?? Protocol);
        }
    }
}
