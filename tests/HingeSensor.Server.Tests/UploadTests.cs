using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Storage;
using HingeSensor.Protocol;
using HingeSensor.Server.Sync;
using Xunit;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// Uploads through HTTP to a running `hinge server`: stored once per content, resumable, never
    /// listed half-done, and checked whole with the host's decoder before anything is stored.
    /// </summary>
    public class UploadTests : IClassFixture<TeamFixture>
    {
        private readonly TeamFixture _team;

        public UploadTests(TeamFixture team) => _team = team;

        private UploadClient Client(string token, int partBytes = UploadClient.DefaultPartBytes) => new(_team.Url, token, partBytes: partBytes);

        private static string Hex(byte[] file) => Convert.ToHexStringLower(SHA256.HashData(file));

        private async Task<HttpResponseMessage> PutPartAsync(HttpClient http, string digest, byte[] file, int from, int count)
        {
            using var content = new ByteArrayContent(file, from, count);
            content.Headers.ContentRange = new ContentRangeHeaderValue(from, from + count - 1, file.Length);
            return await http.PutAsync($"api/uploads/{digest}", content);
        }

        private Task<long> StoredWithDigest(byte[] file) => _team.ScalarAsync("SELECT count(*) FROM sessions WHERE digest = $1", SHA256.HashData(file));

        [SkippableFact]
        public async Task A_session_is_stored_with_its_summaries_and_given_back_byte_for_byte()
        {
            _ = _team.Cluster;
            byte[] file = SessionFiles.Record("HS-ANA-1", seed: 11, seconds: 30, reps: 4, faultyReps: 1, chinDrops: 2);
            using UploadClient client = Client(_team.AnaToken);
            UploadOutcome o = await client.UploadAsync(file);
            Assert.Equal(UploadOutcome.Stored, o.Result);
            Assert.Equal(0, o.ResumedFrom);
            Assert.Equal(file.Length, o.Sent);

            using HttpClient ana = Clients.WithToken(_team.Url, _team.AnaToken);
            JsonElement s = await (await ana.GetAsync($"api/sessions/{o.SessionId}")).JsonAsync();
            // The summaries are what the host's own log makes of the same file.
            DecodedSession d = DecodedSession.Decode(file, file.Length);
            Assert.Equal(Hex(file), s.GetProperty("digest").GetString());
            Assert.Equal("HS-ANA-1", s.GetProperty("device").GetString());
            Assert.Equal("Ana", s.GetProperty("person").GetString());
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(SessionFiles.Start), s.GetProperty("started_at").GetDateTimeOffset());
            Assert.Equal(d.DurationS, s.GetProperty("duration_s").GetDouble(), 3);
            Assert.Equal(d.Frames.Count, s.GetProperty("frames").GetInt32());
            Assert.Equal(4, s.GetProperty("reps").GetInt32());
            Assert.Equal(1, s.GetProperty("reps_with_fault").GetInt32());
            Assert.Equal(0.25, s.GetProperty("fault_rate").GetDouble(), 6);
            Assert.Equal(2, s.GetProperty("reps_depth_reached").GetInt32());
            Assert.Equal(0.5, s.GetProperty("depth_share").GetDouble(), 6);
            var alerts = SessionDatabase.AlertsFromEvents(d.Events, d.DurationS);
            Assert.Equal(2, alerts.Count);
            Assert.Equal(2, s.GetProperty("alerts").GetProperty("chin_drop").GetInt32());
            Assert.Equal(0, s.GetProperty("alerts").GetProperty("back_rounding").GetInt32());
            Assert.Equal(alerts.Sum(a => a.EndS - a.StartS), s.GetProperty("alert_s").GetDouble(), 6);
            Assert.Equal(0, s.GetProperty("holes").GetInt32());

            byte[] back = await (await ana.GetAsync($"api/sessions/{o.SessionId}/file")).Content.ReadAsByteArrayAsync();
            Assert.Equal(file, back);
            // The file is one value of one row: the frames are not spread over rows.
            Assert.Equal(file.Length, await _team.ScalarAsync("SELECT length(f.data) FROM session_files f JOIN sessions s ON s.id = f.session_id WHERE s.digest = $1", SHA256.HashData(file)));
        }

        [SkippableFact]
        public async Task The_same_session_twice_is_stored_once_and_answered_already_stored()
        {
            _ = _team.Cluster;
            byte[] file = SessionFiles.Record("HS-ANA-2", seed: 12);
            using UploadClient client = Client(_team.AnaToken);
            UploadOutcome first = await client.UploadAsync(file);
            UploadOutcome second = await client.UploadAsync(file);
            Assert.Equal(UploadOutcome.Stored, first.Result);
            Assert.Equal(UploadOutcome.AlreadyStored, second.Result);
            Assert.Equal(first.SessionId, second.SessionId);
            Assert.Equal(0, second.Sent);

            // A client that sends the last part again (its answer lost) is told the same.
            using HttpClient ana = Clients.WithToken(_team.Url, _team.AnaToken);
            using HttpResponseMessage again = await PutPartAsync(ana, Hex(file), file, 0, file.Length);
            JsonElement a = await again.JsonAsync();
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("stored", a.GetProperty("state").GetString());
            Assert.True(a.GetProperty("already_stored").GetBoolean());
            Assert.Equal(1, await StoredWithDigest(file));
        }

        [SkippableFact]
        public async Task An_interrupted_upload_is_never_listed_and_resumes_from_what_the_server_kept()
        {
            _ = _team.Cluster;
            byte[] file = SessionFiles.Record("HS-BEN-1", seed: 21, seconds: 60);
            string digest = Hex(file);
            using HttpClient ben = Clients.WithToken(_team.Url, _team.BenToken);
            int half = file.Length / 2;
            using (HttpResponseMessage r = await PutPartAsync(ben, digest, file, 0, half))
            {
                Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
                Assert.Equal(half, (await r.JsonAsync()).GetProperty("received").GetInt32());
            }
            // Half an upload shows nowhere: not to Ben, not to his coach.
            Assert.DoesNotContain(digest, await Clients.ListedDigestsAsync(ben));
            using (var cora = new Browser(_team.Url))
            {
                await cora.SignInAsync("cora@rowing.example", TeamFixture.Password);
                using HttpResponseMessage list = await cora.GetAsync("api/sessions?limit=500");
                Assert.DoesNotContain(digest, (await list.JsonAsync()).GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("digest").GetString()));
            }
            Assert.Equal(0, await StoredWithDigest(file));

            // A part that does not follow what the server has is refused, saying where to go on.
            using (HttpResponseMessage skip = await PutPartAsync(ben, digest, file, half + 10, 10))
            {
                Assert.Equal(HttpStatusCode.Conflict, skip.StatusCode);
                JsonElement a = await skip.JsonAsync();
                Assert.Equal(half, a.GetProperty("received").GetInt32());
                Assert.Contains($"starts at byte {half}", a.GetProperty("error").GetString());
            }

            using UploadClient client = Client(_team.BenToken, partBytes: 1000);
            UploadOutcome o = await client.UploadAsync(file);
            Assert.Equal(UploadOutcome.Stored, o.Result);
            Assert.Equal(half, o.ResumedFrom);
            Assert.Equal(file.Length - half, o.Sent);
            Assert.Contains(digest, await Clients.ListedDigestsAsync(ben));
            Assert.Equal(file, await (await ben.GetAsync($"api/sessions/{o.SessionId}/file")).Content.ReadAsByteArrayAsync());
            Assert.Equal(0, await _team.ScalarAsync("SELECT count(*) FROM uploads WHERE digest = $1", SHA256.HashData(file)));
        }

        [SkippableFact]
        public async Task Two_clients_sending_the_same_session_at_once_store_it_once()
        {
            _ = _team.Cluster;
            byte[] file = SessionFiles.Record("HS-ANA-3", seed: 13, seconds: 60);
            using UploadClient a = Client(_team.AnaToken, partBytes: 512), b = Client(_team.AnaToken, partBytes: 700);
            UploadOutcome[] both = await Task.WhenAll(Task.Run(() => a.UploadAsync(file)), Task.Run(() => b.UploadAsync(file)));
            Assert.All(both, o => Assert.Contains(o.Result, new[] { UploadOutcome.Stored, UploadOutcome.AlreadyStored }));
            Assert.Equal(both[0].SessionId, both[1].SessionId);
            Assert.Equal(1, await StoredWithDigest(file));
        }

        public static TheoryData<string> Damages() => new() { "bytes changed on the way", "header chunk damaged", "an angle no i16 holds", "an alert of a fault that does not exist" };

        [SkippableTheory]
        [MemberData(nameof(Damages))]
        public async Task A_damaged_session_is_refused_with_the_reason_and_nothing_is_stored(string damage)
        {
            _ = _team.Cluster;
            byte[] good = SessionFiles.Record("HS-ANA-4", seed: 14 + damage.Length);
            var chunks = SessionFiles.Chunks(good);
            (byte[] sent, string digest, string reason) = damage switch
            {
                // Sent under the digest of the good file: the server's SHA-256 of what arrived differs.
                "bytes changed on the way" => (SessionFiles.Flipped(good, good.Length / 2), Hex(good), "not the " + Hex(good)),
                "header chunk damaged" => Self(SessionFiles.Flipped(good, chunks[0].Offset + 20), "the session header chunk is damaged"),
                "an angle no i16 holds" => Self(SessionFiles.WithChunk(good, SessionFormat.ChunkFrames,
                    new byte[] { 0, 0, 0, 0, 2, 7, 0x00, 0x7D }.Concat(new byte[10]).Concat(new byte[] { 0xD0, 0x0F, 0, 0, 0, 0, 0 }).ToArray()), "angle of 3300°"),
                _ => Self(SessionFiles.WithChunk(good, SessionFormat.ChunkEvents, new byte[] { 1, (byte)SessionEventKind.Alignment, 0x10, 0x27, 0, 0, 1, 9, 0x34, 0x08, 0 }), "alignment event 1 for fault 9"),
            };
            long before = await _team.ScalarAsync("SELECT count(*) FROM sessions");

            using HttpClient ana = Clients.WithToken(_team.Url, _team.AnaToken);
            int half = sent.Length / 2;
            using (HttpResponseMessage first = await PutPartAsync(ana, digest, sent, 0, half)) Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            using HttpResponseMessage last = await PutPartAsync(ana, digest, sent, half, sent.Length - half);
            JsonElement a = await last.JsonAsync();
            Assert.Equal(HttpStatusCode.UnprocessableEntity, last.StatusCode);
            Assert.Equal("refused", a.GetProperty("state").GetString());
            Assert.Contains("nothing stored", a.GetProperty("error").GetString());
            Assert.Contains(reason, a.GetProperty("error").GetString());

            Assert.Equal(before, await _team.ScalarAsync("SELECT count(*) FROM sessions"));
            Assert.Equal(0, await _team.ScalarAsync("SELECT count(*) FROM uploads WHERE digest = decode($1, 'hex')", digest));
            // The refusal closed the upload: a corrected file under its own digest starts afresh.
            Assert.Equal("none", (await (await ana.GetAsync($"api/uploads/{digest}")).JsonAsync()).GetProperty("state").GetString());

            static (byte[], string, string) Self(byte[] file, string reason) => (file, Hex(file), reason);
        }

        [SkippableFact]
        public async Task A_chunk_damaged_on_the_device_is_kept_as_a_hole_as_the_host_keeps_it()
        {
            _ = _team.Cluster;
            byte[] good = SessionFiles.Record("HS-ANA-5", seed: 15);
            var frames = SessionFiles.Chunks(good).Where(c => c.Type == SessionFormat.ChunkFrames).ToList();
            byte[] file = SessionFiles.Flipped(good, frames[1].Offset + frames[1].Length / 2);
            DecodedSession host = DecodedSession.Decode(file, file.Length);
            Assert.Single(host.Holes);

            using UploadClient client = Client(_team.AnaToken);
            UploadOutcome o = await client.UploadAsync(file);
            Assert.Equal(UploadOutcome.Stored, o.Result);
            Assert.Equal(new[] { host.Holes[0].ToString() }, o.Holes);
            using HttpClient ana = Clients.WithToken(_team.Url, _team.AnaToken);
            JsonElement s = await (await ana.GetAsync($"api/sessions/{o.SessionId}")).JsonAsync();
            Assert.Equal(1, s.GetProperty("holes").GetInt32());
            Assert.Equal(host.Holes[0].Length, s.GetProperty("damaged_bytes").GetInt32());
            Assert.Equal(host.Frames.Count, s.GetProperty("frames").GetInt32());
        }

        [SkippableFact]
        public async Task A_session_of_a_device_registered_to_someone_else_is_refused()
        {
            _ = _team.Cluster;
            using UploadClient eve = Client(_team.EveToken);
            Assert.Equal(UploadOutcome.Stored, (await eve.UploadAsync(SessionFiles.Record("HS-EVE-1", seed: 31))).Result);

            byte[] file = SessionFiles.Record("HS-EVE-1", seed: 32);
            using UploadClient ana = Client(_team.AnaToken);
            UploadOutcome o = await ana.UploadAsync(file);
            Assert.Equal(UploadOutcome.Conflict, o.Result);
            Assert.Contains("device HS-EVE-1 is registered to another person", o.Error);
            Assert.Equal(0, await StoredWithDigest(file));
        }

        [SkippableFact]
        public async Task Parts_that_cannot_be_right_are_refused_before_anything_is_kept()
        {
            _ = _team.Cluster;
            using HttpClient ana = Clients.WithToken(_team.Url, _team.AnaToken);
            byte[] file = SessionFiles.Record("HS-ANA-6", seed: 16);
            using (HttpResponseMessage r = await ana.PutAsync("api/uploads/not-a-digest", new ByteArrayContent(file)))
            {
                Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
                Assert.Contains("64 hex digits", (await r.JsonAsync()).GetProperty("error").GetString());
            }
            using (HttpResponseMessage r = await ana.PutAsync($"api/uploads/{Hex(file)}", new ByteArrayContent(file)))
                Assert.Contains("Content-Range", (await r.JsonAsync()).GetProperty("error").GetString());
            var huge = new ByteArrayContent(new byte[10]);
            huge.Headers.ContentRange = new ContentRangeHeaderValue(0, 9, SessionFormat.MaxSessionBytes + 1L);
            using (HttpResponseMessage r = await ana.PutAsync($"api/uploads/{Hex(file)}", huge))
                Assert.Contains($"not {SessionFormat.MaxSessionBytes + 1}", (await r.JsonAsync()).GetProperty("error").GetString());
            Assert.Equal(0, await _team.ScalarAsync("SELECT count(*) FROM uploads WHERE digest = $1", SHA256.HashData(file)));
        }
    }
}
