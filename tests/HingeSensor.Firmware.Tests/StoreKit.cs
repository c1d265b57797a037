using System;
using System.Linq;
using System.Security.Cryptography;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>The session store as the device builds it, and what a host would say of its files.</summary>
    internal static class StoreKit
    {
        public const string Dir = "/hinge/";

        public static SessionStore Store(IFileStore files, int seed = 1) => new(files, Dir, new SeededRandom(seed));

        public static SessionStore Recovered(IFileStore files, int seed = 1)
        {
            SessionStore store = Store(files, seed);
            store.Recover();
            return store;
        }

        /// <summary>Runs the digester as the main loop would, until every session not being recorded has its digest.</summary>
        public static void Settle(SessionStore store)
        {
            for (int pass = 0; pass < 50_000_000; pass++)
            {
                bool pending = false;
                for (int i = 0; i < store.Count; i++)
                {
                    SessionInfo s = store.At(i);
                    if (s.DigestState == SessionInfo.DigestPending && !s.Recording) pending = true;
                }
                if (!pending) return;
                store.Digester.Pump();
            }
            throw new InvalidOperationException("the digester never finished");
        }

        /// <summary>What a host sends after storing these bytes: the first 12 bytes of their SHA-256.</summary>
        public static byte[] Tag(byte[] file) => SHA256.HashData(file).AsSpan(0, SessionFormat.DigestTagBytes).ToArray();

        public static byte[] File(FlashModel flash, SessionStore store, int id) => flash.Contents(store.PathOf(id)).AsSpan(0, store.Find(id)!.Length).ToArray();

        public static byte[] Tag(FlashModel flash, SessionStore store, int id) => Tag(File(flash, store, id));

        public static ResultCode Mark(FlashModel flash, SessionStore store, int id)
        {
            Settle(store);
            return store.MarkDownloaded(id, Tag(flash, store, id), 0);
        }

        public static ResultCode Erase(SessionStore store, int id, bool force, byte[]? tag = null) =>
            store.Erase(id, force, tag ?? new byte[SessionFormat.DigestTagBytes], 0);
    }
}
