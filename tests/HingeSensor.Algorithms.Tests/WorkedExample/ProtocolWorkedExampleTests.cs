using System;
using System.Linq;
using System.Text.RegularExpressions;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Protocol;
using Xunit;
using static HingeSensor.Algorithms.Tests.WorkedExample.WorkedExampleDoc;

namespace HingeSensor.Algorithms.Tests.WorkedExample
{
    /// <summary>
    /// docs/protocol.md §13 says its hex is "produced by the firmware core … with the shared
    /// protocol encoders": these tests build the config record and the example session with those
    /// encoders and hold the doc to them, so that a change to a record shows up as a failing test
    /// rather than as a stale example. The session file, its header and tail, is the part here;
    /// its download, list entries and digest tags are in ProtocolWorkedExampleDownloadTests.
    /// </summary>
    public class ProtocolWorkedExampleTests
    {
        private static readonly WorkedExampleDoc Doc = WorkedExampleDoc.Load();
        private static readonly WorkedExampleSession Session = new WorkedExampleSession();

        /// <summary>§13 with every run of white space one space: prose wraps wherever it likes.</summary>
        internal static string Flat(WorkedExampleDoc doc) { return Regex.Replace(doc.Text, @"\s+", " "); }

        internal static byte[] Encode(DeviceConfig c)
        {
            var b = new byte[DeviceConfig.MaxEncodedLength];
            return b.AsSpan(0, c.Encode(b, 0)).ToArray();
        }

        [Fact]
        public void Step_4_reads_the_default_config_record()
        {
            byte[] record = Encode(new DeviceConfig());
            string[] block = Doc.BlockAfter("**4. Read the config");
            Assert.Equal(Hex(record), Hex(Message(block, "<-")));
            Assert.Contains($"({record.Length} bytes)", string.Join(" ", block));
            // The table under it, first column: every field's bytes in order up to the name length.
            string table = Doc.Text.Substring(Doc.Text.IndexOf("| bytes | field | value |", StringComparison.Ordinal));
            table = table.Substring(0, table.IndexOf("\n\n", StringComparison.Ordinal));
            string firstCells = string.Concat(table.Split('\n').Skip(2).Select(row => row.Split('|')[1]));
            string tableBytes = string.Join(" ", Regex.Matches(firstCells, "`([0-9a-f ]+)`").Select(m => m.Groups[1].Value));
            Assert.Equal(Hex(record.Take(DeviceConfig.FixedLength)), tableBytes);
        }

        [Fact]
        public void Step_6_writes_the_default_record_with_live_rate_30_and_is_told_which_field()
        {
            var bad = new DeviceConfig { LiveRateHz = 30 };
            byte[] record = Encode(bad);
            ConfigField field = DeviceConfig.Decode(record, 0, record.Length, new DeviceConfig());
            Assert.Equal(ConfigField.LiveRateHz, field);
            string[] block = Doc.BlockAfter("**6. A config write");
            Assert.Equal(Hex(new byte[] { (byte)Opcode.WriteConfig, 6 }.Concat(record)), Hex(Message(block, "-> Control")));
            byte[] answer = { (byte)ControlMessage.Response, (byte)Opcode.WriteConfig, 6, (byte)ResultCode.InvalidParameter, (byte)field };
            Assert.Equal(Hex(answer), Hex(Message(block, "<- Control")));
            Assert.Contains($"field {(int)field} = {field}", string.Join(" ", block));
        }

        [Fact]
        public void The_first_SessionData_notification_at_MTU_247_is_the_dump()
        {
            byte[] first = Session.Download(247, 0).Packets[0];
            Assert.Equal(Hex(first), Hex(Dump(Doc.BlockAfter("The first SessionData notification:"))));
        }

        [Fact]
        public void The_table_under_the_dump_quotes_the_header_chunk_and_the_frames_chunk()
        {
            var chunks = new SessionChunkReader(Session.File, Session.File.Length);
            Assert.True(chunks.Next());
            int header = chunks.PayloadLength, sealedBytes = SessionFormat.HeaderBytes + header;
            byte[] crc = Session.File.Skip(sealedBytes).Take(SessionFormat.CrcBytes).ToArray();
            Assert.True(chunks.Next());
            int frames = chunks.PayloadLength;
            var identity = new DeviceIdentity();
            int configLength = Encode(new DeviceConfig()).Length;
            string flat = Flat(Doc);
            Assert.Contains($"`48 53` `01` `{Hex(Le(header, 2))}` `00 00 00 00` | chunk: magic `HS`, type 1 header, payload 0x{header:x2} = {header} bytes, sequence 0", flat);
            Assert.Contains($"| `{Hex(new[] { (byte)identity.FirmwareMajor, (byte)identity.FirmwareMinor, (byte)identity.FirmwarePatch })}` | firmware {identity.FirmwareRevision} |", flat);
            Assert.Contains($"| `{configLength:x2}` + {configLength} bytes | config length {configLength} + the config record of step 4 |", flat);
            Assert.Contains($"| `{Hex(crc)}` | chunk CRC-32 0x{BitConverter.ToUInt32(crc):x8} over the {sealedBytes} bytes from `48 53` |", flat);
            Assert.Contains($"| `48 53 02 {Hex(Le(frames, 2))} 01 00 00 00` | next chunk: frames, payload {frames} bytes, sequence 1 |", flat);
        }

        [Fact]
        public void The_End_chunk_and_the_digest_of_the_whole_file_are_the_ones_quoted()
        {
            byte[] file = Session.File;
            Match end = Regex.Match(Flat(Doc), "ends with the End chunk `([0-9a-f |]+)`");
            Assert.True(end.Success, "§13 quotes no End chunk");
            string quoted = Regex.Replace(end.Groups[1].Value, @"[ |]+", " ").Trim();
            int endLength = quoted.Split(' ').Length;
            Assert.Equal(Hex(file.Skip(file.Length - endLength)), quoted);
            Assert.Equal(SessionFormat.ChunkEnd, file[file.Length - endLength + 2]);
            // The device's digester and .NET's SHA-256 agree on the tag before the doc is asked.
            byte[] tag = System.Security.Cryptography.SHA256.HashData(file).Take(SessionFormat.DigestTagBytes).ToArray();
            Assert.Equal(Hex(tag), Hex(Session.Tag));
            Assert.Contains($"The SHA-256 of all {file.Length} bytes starts `{Hex(tag)}`", Flat(Doc));
        }

        /// <summary>Little-endian bytes of <paramref name="v"/>.</summary>
        internal static byte[] Le(long v, int n) { return Enumerable.Range(0, n).Select(i => (byte)(v >> (8 * i))).ToArray(); }
    }
}
