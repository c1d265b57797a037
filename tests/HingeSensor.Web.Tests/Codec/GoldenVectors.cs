using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HingeSensor.Protocol;
using static HingeSensor.Web.Tests.Codec.VectorSet;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>
    /// The golden vectors the JavaScript codec (host/HingeSensor.Host/Web/wwwroot/app/protocol.js)
    /// is held to, made at test time by the C# code: the firmware core's encoders for what a
    /// device sends, the protocol library's records, the device's own request decoder for what a
    /// host sends, the host's decoders for what each means. Nothing here is written down by hand
    /// but the inputs: a change to a C# encoder changes the vectors, and the JavaScript must follow.
    /// </summary>
    internal static partial class GoldenVectors
    {
        public static VectorSet Build()
        {
            var set = new VectorSet();
            var host = new HostProbe();
            Requests(set);
            Responses(set);
            Events(set);
            Downloads(set, host);
            foreach (JsonObject v in set.OfKind("control").Where(v => (string)v["expect"]!["message"]! == "event"))
                if (host.Push(GattIds.Control, Convert.FromHexString((string)v["hex"]!)) != null) throw new InvalidOperationException($"the host refused {v["name"]}");
            Live(set, host);
            StatusRecords(set, host);
            ConfigRecords(set);
            Battery(set);
            Sessions(set);
            Checksums(set);
            MalformedRequests(set);
            MalformedNotifications(set, host);
            MalformedPages(set, host);
            MalformedSessions(set);
            return set;
        }

        /// <summary>CRC-32 (Crc32.Compute) and SHA-256 (the device's Sha256, which must agree with .NET's) of the check strings, block edges and a real session file.</summary>
        private static void Checksums(VectorSet set)
        {
            var random = new byte[1000];
            new Random(32).NextBytes(random);
            byte[] session = Workout().File;
            var inputs = new (string Name, byte[] Bytes)[]
            {
                ("empty", Array.Empty<byte>()),
                ("ASCII 123456789", Encoding.ASCII.GetBytes("123456789")),
                ("ASCII abc", Encoding.ASCII.GetBytes("abc")),
                ("55 bytes", random[..55]), ("56 bytes", random[..56]), ("63 bytes", random[..63]), ("64 bytes", random[..64]), ("65 bytes", random[..65]),
                ("1000 random bytes", random),
                ("the workout session file", session),
            };
            foreach (var (name, bytes) in inputs)
            {
                set.Add("crc32", $"crc32 of {name}", bytes, Crc32.Compute(bytes, 0, bytes.Length));
                var sha = new Sha256();
                sha.Update(bytes, 0, bytes.Length);
                var digest = new byte[Sha256.DigestBytes];
                sha.Finish(digest, 0);
                if (!digest.SequenceEqual(SHA256.HashData(bytes))) throw new InvalidOperationException($"the device's SHA-256 of {name} is not .NET's");
                set.Add("sha256", $"sha256 of {name}", bytes, new JsonObject { ["digest"] = Bytes(digest), ["tag"] = Bytes(digest[..SessionFormat.DigestTagBytes]) });
            }
        }
    }
}
