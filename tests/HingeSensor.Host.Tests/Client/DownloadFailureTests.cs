using HingeSensor.TestSupport;
using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Tests.Device;
using HingeSensor.VirtualDevice;
using Xunit;

namespace HingeSensor.Host.Tests.Client
{
    public class DownloadFailureTests
    {
        [Fact]
        public async Task A_download_that_runs_past_the_length_the_device_listed_fails_naming_both()
        {
            byte[] file = HingeSensor.Host.Tests.Campaigns.SessionDecodeFuzzCampaign.Recorded();
            var link = new HingeSensor.Host.Tests.Campaigns.FuzzLink(185);
            link.Answer = request => new[] { (GattIds.Control, new byte[] { 0xF0, request[0], request[1], (byte)ResultCode.Accepted }) }
                .Concat(Enumerable.Range(0, (file.Length + 175) / 176).Select(k => (GattIds.SessionData,
                    new byte[] { 1, 0 }.Concat(BitConverter.GetBytes(k * 176)).Concat(file.Skip(k * 176).Take(176)).ToArray())))
                .Append((GattIds.Control, new byte[] { 0xF1, (byte)DeviceEvent.DownloadDone, 1, 0 }.Concat(BitConverter.GetBytes(file.Length)).Concat(new byte[SessionFormat.DigestTagBytes]).ToArray()));
            var listed = new SessionEntry { Id = 1, Length = SessionFormat.Overhead }; // within the protocol's limits, but not this file's length

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var e = await Assert.ThrowsAsync<SessionDownloadException>(() => link.Client.DownloadAsync(listed, null, patience.Token)); // was: asked again every 5 s, for ever

            Assert.Contains($"session 1: the device listed 13 bytes, but its download ran to {file.Length}", e.Message);
        }

        [Fact]
        public async Task A_download_the_device_reports_failed_throws_with_its_result_instead_of_waiting()
        {
            using var dir = new TempDir();
            string flash = Path.Combine(dir.Path, "flash");
            using VirtualDeviceHost host = VirtualBench.StartDevice(flash);
            await using DeviceConnection d = await VirtualBench.ConnectAsync(host);
            ControlResponse start = await d.Client.RequireAsync(Opcode.StartRecording);
            int id = start.Payload[0] | (start.Payload[1] << 8);
            Assert.True(host.WaitForDeviceTime(host.TimeS + 5, TimeSpan.FromSeconds(30)));
            await d.Client.RequireAsync(Opcode.StopRecording);
            SessionEntry entry = (await d.Client.ListSessionsAsync()).Single(s => s.Id == id);

            // The file becomes unreadable while the device still lists the session (a flash fault).
            lock (host.Rig) File.Delete(Path.Combine(flash, "hinge", $"S{id:D5}.hs"));

            // Waiting for the silence timeout instead would ask again (a second Download request):
            // the requests on the link say whether the device's own word ended the download.
            var link = (TamperingLink)d.Client.Link;
            int downloadRequests = 0;
            link.OnWrite = (uuid, v) => { if (v.Length > 0 && v[0] == (byte)Opcode.Download) Interlocked.Increment(ref downloadRequests); };
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var e = await Assert.ThrowsAsync<DeviceRequestException>(() => d.Client.DownloadAsync(entry, null, cts.Token));
            Assert.Equal(ResultCode.InternalError, e.Result);
            Assert.Contains($"session {id}", e.Message);
            Assert.Contains("the device stopped sending", e.Message); // its DownloadFailed event, not a refused request after a silence
            Assert.Equal(1, downloadRequests);
        }
    }
}
