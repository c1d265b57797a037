using System.Linq;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice;
using Xunit;
using static HingeSensor.Firmware.Tests.TestLink;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>Downloads that cannot finish: the host is told why instead of being left waiting.</summary>
    public class DownloadTests
    {
        // A minute recorded, at MTU 23: the download takes ~40 loop passes, time to interfere with it.
        private static (VirtualRig Rig, TestLink Link, int Length) Recorded()
        {
            var rig = new VirtualRig(Scenarios.Still(120), 11);
            rig.Boot();
            var link = new TestLink(rig, mtu: 23);
            link.RunTo(1.0);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            link.RunTo(61.0);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StopRecording).Result);
            return (rig, link, rig.Core.Sessions.Find(1)!.Length);
        }

        // Sends Download and runs the loop a few passes: part of the file is out, most is not.
        private static void StartDownload(VirtualRig rig, TestLink link)
        {
            byte[] w = new byte[] { (byte)Opcode.Download, 200 }.Concat(U16(1)).Concat(U32(0)).ToArray();
            rig.Core.OnControlWrite(w, w.Length);
            link.RunTo(rig.TimeS + 0.05);
            Assert.Equal(ResultCode.Accepted, link.Responses.Last().Result);
            Assert.NotEmpty(link.SessionData);
            Assert.True(rig.Core.Download.Active);
        }

        private static int Received(TestLink link) => link.SessionData.Sum(p => p.Length - 6);

        [Fact]
        public void A_flash_read_failing_mid_download_ends_it_with_DownloadFailed_and_the_offset_reached()
        {
            var (rig, link, length) = Recorded();
            StartDownload(rig, link);
            rig.Flash.Delete("/hinge/S00001.hs"); // the file is unreadable; the session is still listed
            link.RunTo(rig.TimeS + 1);

            Assert.False(rig.Core.Download.Active);
            Assert.DoesNotContain(link.Events, e => e.Kind == DeviceEvent.DownloadDone);
            var failed = link.Events.Single(e => e.Kind == DeviceEvent.DownloadFailed);
            var r = new ByteReader(failed.Payload);
            Assert.Equal(1, r.U16());
            int offset = r.I32();
            Assert.Equal((int)ResultCode.InternalError, r.U8());
            Assert.True(r.Ok);
            Assert.Equal(Received(link), offset);
            Assert.InRange(offset, 1, length - 1);
        }

        [Fact]
        public void A_session_evicted_mid_download_ends_it_with_DownloadFailed_not_found()
        {
            var (rig, link, _) = Recorded();
            link.RunTo(rig.TimeS + 1); // the digest of the session just stopped
            Assert.Equal(ResultCode.Success, link.Request(Opcode.MarkDownloaded, MarkParams(1, link.StoredTag(1))).Result);
            StartDownload(rig, link);
            Assert.True(rig.Core.Sessions.EvictOldestDownloaded()); // what a recording short of room does
            link.RunTo(rig.TimeS + 1);

            var failed = link.Events.Single(e => e.Kind == DeviceEvent.DownloadFailed);
            Assert.Equal((byte)ResultCode.NotFound, failed.Payload[6]);
            Assert.Equal(Received(link), new ByteReader(failed.Payload, 2, 4).I32());
            Assert.DoesNotContain(link.Events, e => e.Kind == DeviceEvent.DownloadDone);
        }

        [Fact]
        public void Erasing_the_session_being_downloaded_is_refused_until_the_download_ends()
        {
            var (rig, link, length) = Recorded();
            StartDownload(rig, link);
            Assert.Equal(ResultCode.InvalidState, link.Request(Opcode.EraseSession, EraseParams(1, true)).Result);
            // At the smallest MTU (14 bytes of session a notification) this takes a second or two.
            Assert.True(link.RunUntil(() => link.Events.Any(e => e.Kind == DeviceEvent.DownloadDone), 10), "the download did not end");
            Assert.Equal(length, Received(link));
            Assert.Contains(link.Events, e => e.Kind == DeviceEvent.DownloadDone);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.EraseSession, EraseParams(1, true)).Result);
        }
    }
}
