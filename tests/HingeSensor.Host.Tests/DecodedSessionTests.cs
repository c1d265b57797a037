using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HingeSensor.Protocol;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Tests.Campaigns;
using Xunit;

namespace HingeSensor.Host.Tests
{
    /// <summary>Chunks that check but say what the recorder never writes: the session does not decode (and is quarantined), it is not stored as nonsense.</summary>
    public class DecodedSessionTests
    {
        /// <summary>The recorded file with the first chunk of <paramref name="type"/> replaced by <paramref name="payload"/>, sealed with its sequence.</summary>
        private static byte[] WithChunk(int type, byte[] payload)
        {
            byte[] file = SessionDecodeFuzzCampaign.Recorded();
            var reader = new SessionChunkReader(file, file.Length);
            for (int at = 0; reader.Next(); at = reader.ValidLength)
            {
                if (reader.Type != type) continue;
                var chunk = new byte[payload.Length + SessionFormat.Overhead];
                payload.CopyTo(chunk, SessionFormat.HeaderBytes);
                SessionFormat.Seal(chunk, type, payload.Length, reader.Sequence);
                return file[..at].Concat(chunk).Concat(file[reader.ValidLength..]).ToArray();
            }
            throw new InvalidOperationException($"no chunk of type {type}");
        }

        [Fact]
        public void Frame_differences_that_add_up_past_an_i16_angle_do_not_decode()
        {
            var p = new List<byte> { 0, 0, 0, 0, 2, 7 };          // frames from 0, two of them, all valid
            p.AddRange(BitConverter.GetBytes((short)32000));       // head sagittal 3200.0°
            p.AddRange(new byte[10]);
            p.AddRange(new byte[] { 0xD0, 0x0F, 0, 0, 0, 0, 0 });  // +100.0° (zigzag 2000): 3300.0°, which no i16 of 0.1° holds
            byte[] file = WithChunk(SessionFormat.ChunkFrames, p.ToArray());

            var e = Assert.Throws<InvalidDataException>(() => DecodedSession.Decode(file, file.Length)); // was decoded, and stored as 3300°
            Assert.Contains("angle of 3300°", e.Message);
        }

        [Fact]
        public void An_alignment_event_of_a_fault_that_does_not_exist_does_not_decode()
        {
            byte[] payload = { 1, (byte)SessionEventKind.Alignment, 0x10, 0x27, 0, 0, 1, 9, 0x34, 0x08, 0 }; // one event: started, fault 9
            byte[] file = WithChunk(SessionFormat.ChunkEvents, payload);

            var e = Assert.Throws<InvalidDataException>(() => DecodedSession.Decode(file, file.Length)); // was decoded, and stored as an alert of fault "none"
            Assert.Contains("alignment event 1 for fault 9", e.Message);
        }
    }
}
