using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using HingeSensor.Host.Client;
using HingeSensor.Host.Sessions;
using HingeSensor.Protocol;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>
    /// Inputs both codecs must refuse. Each is refused here first, by the C# code that would meet
    /// it — the device's control point for requests, the host's DeviceClient for notifications (and
    /// how it counted them), ListSessionsAsync for list pages, DecodedSession for session files —
    /// and only then handed to the JavaScript, which must throw a ProtocolError for it.
    /// </summary>
    internal static partial class GoldenVectors
    {
        private static void MalformedRequests(VectorSet set)
        {
            void Refused(string name, byte[] request, ResultCode expected, int? field = null)
            {
                byte[] answer = new DeviceRig().Request(request).Last();
                if (answer[3] != (byte)expected) throw new InvalidOperationException($"{name}: the device answered {(ResultCode)answer[3]}, not {expected}");
                if (field != null && answer[4] != field) throw new InvalidOperationException($"{name}: the device named field {answer[4]}, not {field}");
                set.Malformed("request", $"request refused: {name}", request, $"ControlPoint/RequestDispatcher: {expected}", field: field, extra: new JsonObject { ["result"] = (int)expected });
            }

            Refused("empty", Array.Empty<byte>(), ResultCode.InvalidLength);
            Refused("opcode without id", new byte[] { 0x01 }, ResultCode.InvalidLength);
            Refused("unknown opcode 0x7f", new byte[] { 0x7F, 1 }, ResultCode.UnknownOpcode);
            Refused("unknown opcode 0x00", new byte[] { 0x00, 1, 2, 3 }, ResultCode.UnknownOpcode);
            Refused("Identify with a parameter", new byte[] { 0x01, 1, 0 }, ResultCode.InvalidLength);
            Refused("SetTime with 7 bytes", new byte[] { 0x02, 1, 0, 0, 0, 0, 0, 0, 0 }, ResultCode.InvalidLength);
            Refused("ListSessions with 1 byte", new byte[] { 0x30, 1, 0 }, ResultCode.InvalidLength);
            Refused("ListSessions with 3 bytes", new byte[] { 0x30, 1, 0, 0, 0 }, ResultCode.InvalidLength);
            Refused("Download with 5 bytes", new byte[] { 0x31, 1, 1, 0, 0, 0, 0 }, ResultCode.InvalidLength);
            Refused("MarkDownloaded with 13 bytes (version-1 CRC form)", new byte[] { 0x33, 1 }.Concat(new byte[13]).ToArray(), ResultCode.InvalidLength);
            Refused("EraseSession with 16 bytes", new byte[] { 0x34, 1 }.Concat(new byte[16]).ToArray(), ResultCode.InvalidLength);
            Refused("ResetConfig with a parameter", new byte[] { 0x41, 1, 0 }, ResultCode.InvalidLength);
            byte[] record = Encode(new DeviceConfig());
            Refused("WriteConfig of 30 bytes", new byte[] { 0x40, 1 }.Concat(record[..30]).ToArray(), ResultCode.InvalidLength);
            Refused("WriteConfig of 51 bytes", new byte[] { 0x40, 1 }.Concat(Encode(new DeviceConfig { DeviceName = new string('n', 21) })).ToArray(), ResultCode.InvalidLength);
            foreach (var ((field, bad), i) in InvalidConfigs().Select((c, i) => (c, i)).Where(c => c.c.Bytes.Length >= DeviceConfig.MinEncodedLength && c.c.Bytes.Length <= DeviceConfig.MaxEncodedLength))
                Refused($"WriteConfig with {field} wrong (record {i})", new byte[] { 0x40, 1 }.Concat(bad).ToArray(), ResultCode.InvalidParameter, (int)field);
        }

        private static string? KindWord(MalformedKind? k) => k switch
        {
            MalformedKind.Short => "short",
            MalformedKind.Inconsistent => "inconsistent",
            MalformedKind.UnknownOpcode => "unknown",
            null => null,
            _ => throw new InvalidOperationException($"the host counted {k}, which the JavaScript has no word for"),
        };

        /// <summary>A notification the host refuses; the vector carries how it counted it.</summary>
        private static void RefusedByHost(VectorSet set, HostProbe host, string decoder, string uuid, string name, byte[] value)
        {
            MalformedKind? kind = host.Push(uuid, value);
            if (kind == null) throw new InvalidOperationException($"the host took {name} ({Convert.ToHexStringLower(value)})");
            set.Malformed(decoder, $"{decoder} refused: {name}", value, $"DeviceClient: {kind}", KindWord(kind));
        }

        private static void MalformedNotifications(VectorSet set, HostProbe host)
        {
            void Control(string name, params byte[] v) => RefusedByHost(set, host, "control", GattIds.Control, name, v);
            Control("empty");
            Control("one byte", 0xF0);
            Control("response of 3 bytes", 0xF0, 0x30, 1);
            Control("message 0x00", 0x00, 0x01, 0x02, 0x03);
            Control("message 0xF2", 0xF2, 0x01);
            Control("event kind 0", 0xF1, 0);
            Control("event kind 8", 0xF1, 8, 0, 0, 0);
            Control("event without a kind", 0xF1);
            foreach (DeviceEvent e in Enum.GetValues<DeviceEvent>())
            {
                int n = DeviceEventCheck.PayloadLength(e);
                Control($"{e} one byte short", new byte[] { 0xF1, (byte)e }.Concat(Valid(e)[..(n - 1)]).ToArray());
                Control($"{e} one byte long", new byte[] { 0xF1, (byte)e }.Concat(Valid(e)).Append((byte)0).ToArray());
            }
            byte[] Ev(DeviceEvent e, int at, byte value)
            {
                byte[] p = Valid(e);
                p[at] = value;
                return new byte[] { 0xF1, (byte)e }.Concat(p).ToArray();
            }
            Control("CalibrationDone step 0", Ev(DeviceEvent.CalibrationDone, 0, 0));
            Control("CalibrationDone step 4", Ev(DeviceEvent.CalibrationDone, 0, 4));
            Control("CalibrationDone status 11", Ev(DeviceEvent.CalibrationDone, 1, 11));
            Control("CalibrationDone sensor 3", Ev(DeviceEvent.CalibrationDone, 2, 3));
            Control("CalibrationDone sensor 0xFE", Ev(DeviceEvent.CalibrationDone, 2, 0xFE));
            Control("RecordingStopped reason 0", Ev(DeviceEvent.RecordingStopped, 2, 0));
            Control("RecordingStopped reason 4", Ev(DeviceEvent.RecordingStopped, 2, 4));
            Control("SensorHealth sensor 3", Ev(DeviceEvent.SensorHealth, 0, 3));
            Control("SensorHealth state 4", Ev(DeviceEvent.SensorHealth, 1, 4));
            Control("Alignment kind 0", Ev(DeviceEvent.Alignment, 0, 0));
            Control("Alignment kind 5", Ev(DeviceEvent.Alignment, 0, 5));
            Control("Alignment fault 0 (none)", Ev(DeviceEvent.Alignment, 1, 0));
            Control("Alignment fault 4", Ev(DeviceEvent.Alignment, 1, 4));
            Control("DownloadFailed result 14", Ev(DeviceEvent.DownloadFailed, 6, 14));
            Control("Cue 0 (none)", Ev(DeviceEvent.Cue, 0, 0));
            Control("Cue 6", Ev(DeviceEvent.Cue, 0, 6));

            void Live(string name, params byte[] v) => RefusedByHost(set, host, "live", GattIds.Live, name, v);
            byte[] full = LivePacketOf(LivePacket.KindFull, 1);
            Live("empty");
            Live("one byte", 1);
            Live("kind 0", new byte[] { 0 }.Concat(full[1..]).ToArray());
            Live("kind 3", new byte[] { 3 }.Concat(full[1..]).ToArray());
            Live("0 frames", 1, 0);
            Live("5 frames", new byte[] { 1, 5 }.Concat(Enumerable.Repeat(full[2..], 5).SelectMany(f => f)).ToArray());
            Live("a byte missing", full[..^1]);
            Live("a byte too many", full.Append((byte)0).ToArray());
            Live("a compact frame said full", new byte[] { 1, 1 }.Concat(LivePacketOf(LivePacket.KindCompact, 1)[2..]).ToArray());
            Live("2 frames said, 1 sent", new byte[] { 2, 2 }.Concat(LivePacketOf(LivePacket.KindCompact, 1)[2..]).ToArray());
            byte[] State(int at, byte value)
            {
                byte[] b = (byte[])full.Clone();
                b[2 + at] = value;
                return b;
            }
            Live("phase 4", State(40, 4));
            Live("fault bit 0 (none)", State(41, 1));
            Live("fault bit 4", State(41, 0x10));
            Live("valid bit 3", State(42, 0x08));

            var status = new byte[DeviceStatus.EncodedLength];
            new DeviceStatus().Encode(status, 0);
            RefusedByHost(set, host, "status", GattIds.Status, "18 bytes", status[..18]);
            RefusedByHost(set, host, "status", GattIds.Status, "empty", Array.Empty<byte>());
            foreach (byte version in new byte[] { 0, 2, 255 })
            {
                byte[] b = (byte[])status.Clone();
                b[0] = version;
                RefusedByHost(set, host, "status", GattIds.Status, $"version {version}", b);
            }
            RefusedByHost(set, host, "sessionData", GattIds.SessionData, "5 bytes", new byte[] { 1, 0, 0, 0, 0 });
            RefusedByHost(set, host, "sessionData", GattIds.SessionData, "empty", Array.Empty<byte>());
        }

        // A valid payload of each event, to break one thing in.
        private static byte[] Valid(DeviceEvent e) => e switch
        {
            DeviceEvent.CalibrationDone => new byte[] { 1, 0, 0xFF, 200, 210, 220, 0, 0 },
            DeviceEvent.DownloadDone => new byte[] { 1, 0, 50, 2, 0, 0 }.Concat(SomeTag).ToArray(),
            DeviceEvent.RecordingStopped => new byte[] { 1, 0, 2 },
            DeviceEvent.SensorHealth => new byte[] { 1, 1 },
            DeviceEvent.Alignment => new byte[] { 1, 1, 0x40, 0xE2, 0x01, 0x00, 0xD2, 0x04 },
            DeviceEvent.DownloadFailed => new byte[] { 1, 0, 0, 1, 0, 0, 7 },
            DeviceEvent.Cue => new byte[] { 1, 3, 0x40, 0xE2, 0x01, 0x00, 0x22, 0x24 },
            _ => throw new ArgumentOutOfRangeException(nameof(e)),
        };

        private static byte[] LivePacketOf(int kind, int count)
        {
            var b = new byte[LivePacket.HeaderBytes + count * LivePacket.FrameBytes(kind)];
            int p = LivePacket.WriteHeader(b, 0, kind, count);
            for (int i = 0; i < count; i++) p = LivePacket.WriteFrame(b, p, kind, LiveSamples()[0]);
            return b;
        }

        private static void MalformedPages(VectorSet set, HostProbe host)
        {
            void Page(string name, byte[] page)
            {
                try
                {
                    host.ListWithPage(page);
                }
                catch (InvalidDataException)
                {
                    set.Malformed("listPage", $"list page refused: {name}", page, "DeviceClient.ListSessionsAsync", extra: new JsonObject { ["askedFirst"] = 0 });
                    return;
                }
                throw new InvalidOperationException($"the host took the list page {name}");
            }

            var entry = new byte[SessionEntry.EncodedLength];
            entry[0] = 1;
            byte[] Header(int total, int first, int n) => new[] { (byte)total, (byte)(total >> 8), (byte)first, (byte)(first >> 8), (byte)n };
            Page("4 bytes", Header(1, 0, 1)[..4]);
            // (Nine full entries would not fit a notification at all: nine compact ones do.)
            Page("9 compact entries", Header(9, 0, 0x80 | 9).Concat(Enumerable.Repeat(entry[..SessionEntry.CompactLength], 9).SelectMany(e => e)).ToArray());
            Page("a byte missing", Header(1, 0, 1).Concat(entry[..^1]).ToArray());
            Page("a byte too many", Header(1, 0, 1).Concat(entry).Append((byte)0).ToArray());
            Page("full entries said compact", Header(1, 0, 0x81).Concat(entry).ToArray());
            Page("from 3, asked from 0", Header(4, 3, 1).Concat(entry).ToArray());
        }

        /// <summary>The workout's file with one chunk's payload replaced and sealed again (its sequence kept), or dropped (null).</summary>
        private static byte[] WithChunk(byte[] file, int index, Func<byte[], byte[]?> change)
        {
            var chunks = new List<byte[]>();
            int at = 0;
            for (int i = 0; at < file.Length; i++)
            {
                int end = ChunkEnd(file, at);
                byte[] chunk = file[at..end];
                if (i == index)
                {
                    byte[]? payload = change(chunk[SessionFormat.HeaderBytes..^SessionFormat.CrcBytes]);
                    chunk = payload == null ? Array.Empty<byte>() : Chunk(chunk[2], BitConverter.ToUInt32(chunk, 5), payload);
                }
                chunks.Add(chunk);
                at = end;
            }
            return chunks.SelectMany(c => c).ToArray();
        }

        private static int IndexOfChunk(byte[] file, int type, int nth = 0)
        {
            int at = 0;
            for (int i = 0; at < file.Length; i++)
            {
                if (file[at + 2] == type && nth-- == 0) return i;
                at = ChunkEnd(file, at);
            }
            throw new InvalidOperationException($"no chunk of type {type}");
        }

        private static void MalformedSessions(VectorSet set)
        {
            byte[] file = Workout().File;
            void Session(string name, byte[] bytes)
            {
                try
                {
                    DecodedSession.Decode(bytes, bytes.Length);
                }
                catch (InvalidDataException e)
                {
                    set.Malformed("session", $"session refused: {name}", bytes, $"DecodedSession: {e.Message}");
                    return;
                }
                throw new InvalidOperationException($"DecodedSession took the session {name}");
            }

            byte[] P(byte[] payload, Action<byte[]> change)
            {
                byte[] b = (byte[])payload.Clone();
                change(b);
                return b;
            }

            var garbage = new byte[600];
            new Random(13).NextBytes(garbage);
            Session("600 random bytes", garbage);
            Session("empty", Array.Empty<byte>());
            byte[] damagedHeader = (byte[])file.Clone();
            damagedHeader[40] ^= 4;
            Session("its header damaged", damagedHeader);
            Session("no header chunk, the rest intact", WithChunk(file, 0, _ => null));
            Session("format version 3", WithChunk(file, 0, p => P(p, b => b[0] = 3)));
            Session("format version 0", WithChunk(file, 0, p => P(p, b => b[0] = 0)));
            Session("a serial of 17 characters", WithChunk(file, 0, p => P(p, b => b[1] = 17)));
            int serial = file[SessionFormat.HeaderBytes + 1];
            int rateAt = 2 + serial + 3 + 2 + 8 + 8 + 4;
            Session("frame rate 0", WithChunk(file, 0, p => P(p, b => b[rateAt] = 0)));
            Session("frame rate 101", WithChunk(file, 0, p => P(p, b => b[rateAt] = 101)));
            Session("its config refused (live rate 30)", WithChunk(file, 0, p => P(p, b => b[rateAt + 2 + 23] = 30)));
            Session("a config length past the chunk", WithChunk(file, 0, p => P(p, b => b[rateAt + 1] = 255)));
            Session("its header cut in the calibration", WithChunk(file, 0, p => p[..^10]));
            int frames = IndexOfChunk(file, SessionFormat.ChunkFrames, 1);
            Session("a frames chunk with valid mask 8", WithChunk(file, frames, p => P(p, b => b[5] = 8)));
            Session("a frames chunk counting one frame more", WithChunk(file, frames, p => P(p, b => b[4]++)));
            Session("a frames chunk adding up past 3276.7°", WithChunk(file, frames, p =>
            {
                var w = new ByteWriter(new byte[64]);
                w.U32(0); w.U8(2); w.U8(7);
                for (int i = 0; i < 6; i++) w.I16(32767);
                for (int i = 0; i < 6; i++) w.VarInt(i == 3 ? 1 : 0);
                return w.Buffer[..w.Position];
            }));
            Session("a frames chunk with a 6-byte varint", WithChunk(file, frames, p =>
            {
                var w = new ByteWriter(new byte[64]);
                w.U32(0); w.U8(2); w.U8(7);
                for (int i = 0; i < 6; i++) w.I16(0);
                foreach (byte b in new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0, 0, 0, 0, 0 }) w.U8(b);
                return w.Buffer[..w.Position];
            }));
            int events = IndexOfChunk(file, SessionFormat.ChunkEvents);
            Session("an alignment event of kind 5", WithChunk(file, events, p => P(p, b => b[1 + 5] = 5)));
            Session("an alignment event for fault 0", WithChunk(file, events, p => P(p, b => b[1 + 6] = 0)));
            int cueAt = 1 + 10 * 7; // the alignment events, calibration, sensor health and phase come first
            Session("a coaching cue 6", WithChunk(file, events, p => P(p, b => { if (b[cueAt] != (byte)SessionEventKind.Cue) throw new InvalidOperationException("no cue there"); b[cueAt + 5] = 6; })));
            Session("a coaching cue 0", WithChunk(file, events, p => P(p, b => b[cueAt + 5] = 0)));
            Session("an events chunk counting one event more", WithChunk(file, events, p => P(p, b => b[0]++)));
            int rep = IndexOfChunk(file, SessionFormat.ChunkRep, 1);
            Session("a rep of pattern 4", WithChunk(file, rep, p => P(p, b => b[28] = 4)));
            Session("a rep with lockout 4", WithChunk(file, rep, p => P(p, b => b[29] = 4)));
            Session("a rep of 27 bytes", WithChunk(file, rep, p => p[..27]));
            Session("an end chunk of 8 bytes", WithChunk(file, IndexOfChunk(file, SessionFormat.ChunkEnd), p => p[..8]));
        }
    }
}
