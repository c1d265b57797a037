using System.Collections.Generic;
using System.Linq;
using HingeSensor.Protocol;
using Xunit;
using static HingeSensor.Algorithms.Tests.WorkedExample.ProtocolWorkedExampleTests;
using static HingeSensor.Algorithms.Tests.WorkedExample.WorkedExampleDoc;

namespace HingeSensor.Algorithms.Tests.WorkedExample
{
    /// <summary>
    /// docs/protocol.md §13 steps 8–11 against the firmware's DownloadPump and list entries over the
    /// example session: packet split and offsets at MTU 247 and 23, the DownloadDone events, the
    /// list entries with the file's length, and the digest tag wherever a request carries it.
    /// </summary>
    public class ProtocolWorkedExampleDownloadTests
    {
        private static readonly WorkedExampleDoc Doc = WorkedExampleDoc.Load();
        private static readonly WorkedExampleSession Session = new WorkedExampleSession();

        private static byte[] Cat(params IEnumerable<byte>[] parts) { return parts.SelectMany(p => p).ToArray(); }

        private static byte[] Response(Opcode op, int id, ResultCode result) { return new[] { (byte)ControlMessage.Response, (byte)op, (byte)id, (byte)result }; }

        [Fact]
        public void Step_8_lists_the_session_with_its_full_entry()
        {
            var entry = new byte[SessionEntry.EncodedLength];
            var w = new ByteWriter(entry);
            SessionEntry e = Session.Entry;
            e.Write(ref w);
            string[] block = Doc.BlockAfter("**8. List the sessions");
            Assert.Equal(Hex(Cat(Response(Opcode.ListSessions, 9, ResultCode.Success), Le(1, 2), Le(0, 2), Le(1, 1), entry)),
                Hex(Message(block, "<- Control")));
            Assert.Contains($"length 0x{e.Length:x4} = {e.Length} bytes", Flat(Doc));
        }

        [Fact]
        public void Step_9_downloads_at_MTU_247_in_the_packets_shown_and_ends_with_the_tag()
        {
            (List<byte[]> packets, byte[] done) = Session.Download(247, 0);
            string[] block = Doc.BlockAfter("**9. Download it");
            string text = string.Join(" ", block);
            Assert.Equal(packets.Count, block.Count(l => l.StartsWith("<- SessionData")));
            int offset = 0;
            for (int i = 0; i < packets.Count; i++)
            {
                int n = packets[i].Length - 6;
                Assert.Contains($"file bytes {offset}..{offset + n - 1}", text);
                if (i > 0)
                {
                    Assert.Equal(Hex(packets[i].Take(6)), Hex(Message(block, "<- SessionData", i)));
                    Assert.Contains($"({packets[i].Length} bytes)", text);
                    Assert.Contains($"offset 0x{offset:x4} = {offset}", text);
                }
                offset += n;
            }
            Assert.Equal(Session.File.Length, offset);
            Assert.Equal(Hex(done), Hex(Message(block, "<- Control", 1)));
            Assert.Equal(Hex(Cat(new byte[] { (byte)ControlMessage.Event, (byte)DeviceEvent.DownloadDone }, Le(Session.Id, 2), Le(offset, 4), Session.Tag)), Hex(done));
            Assert.Contains($"length {offset}, digest tag {Hex(Session.Tag).Replace(" ", "")}", Flat(Doc));
        }

        [Fact]
        public void Step_10_marks_it_with_its_tag_and_a_tag_one_bit_off_is_refused()
        {
            string[] block = Doc.BlockAfter("**10. Mark it downloaded");
            byte[] wrong = Session.Tag.ToArray();
            wrong[0] ^= 1;
            Assert.Equal(Hex(Cat(new byte[] { (byte)Opcode.MarkDownloaded, 11 }, Le(Session.Id, 2), Session.Tag)), Hex(Message(block, "-> Control", 0)));
            Assert.Equal(Hex(Cat(new byte[] { (byte)Opcode.MarkDownloaded, 12 }, Le(Session.Id, 2), wrong)), Hex(Message(block, "-> Control", 1)));
        }

        [Fact]
        public void Step_11_at_MTU_23_lists_compact_resumes_from_32_and_erases_with_the_tag()
        {
            string[] block = Doc.BlockAfter("**11. The same device at MTU 23");
            string text = string.Join(" ", block);
            SessionEntry e = Session.Entry;
            e.Flags = SessionEntry.FlagClosed | SessionEntry.FlagDownloaded | SessionEntry.FlagDigestPending; // after the mismatch of step 10
            var entry = new byte[SessionEntry.CompactLength];
            var w = new ByteWriter(entry);
            e.WriteCompact(ref w);
            Assert.Equal(Hex(Cat(Response(Opcode.ListSessions, 1, ResultCode.Success), Le(1, 2), Le(0, 2), Le(0x81, 1), entry)), Hex(Message(block, "<- Control", 0)));
            Assert.Contains($"compact: id 1, length {e.Length},", text);

            (List<byte[]> packets, byte[] done) = Session.Download(23, 32);
            Assert.Equal(Hex(packets[0]), Hex(Message(block, "<- SessionData", 0)));
            Assert.Equal(Hex(packets[1]), Hex(Message(block, "<- SessionData", 1)));
            Assert.Equal(Hex(packets[^1]), Hex(Message(block, "<- SessionData", 2)));
            Assert.Contains($"… {packets.Count - 3} more packets of 14 bytes …", text);
            int last = Session.File.Length - (packets[^1].Length - 6);
            Assert.Contains($"offset {last}, {packets[^1].Length - 6} bytes", text);
            Assert.Equal(Hex(done), Hex(Message(block, "<- Control", 2)));
            Assert.Equal(Hex(Cat(new byte[] { (byte)Opcode.EraseSession, 3 }, Le(Session.Id, 2), new byte[] { 0 }, Session.Tag)), Hex(Message(block, "-> Control", 2)));
            int configLength = Encode(new DeviceConfig()).Length;
            Assert.Contains($"\"changed, read it\" ({configLength} > 20)", text);
        }
    }
}
