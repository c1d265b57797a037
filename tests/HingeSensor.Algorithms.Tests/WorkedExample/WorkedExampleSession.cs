using System;
using System.Collections.Generic;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.Algorithms.Tests.WorkedExample
{
    /// <summary>
    /// The session of docs/protocol.md §13, recorded and sent by the firmware's own parts
    /// (SessionRecorder, SessionStore, SessionDigester, DownloadPump) on the virtual device's
    /// flash model: a header as Recording.Start writes it, 51 frames with no sensor valid (every
    /// angle 0), stopped on request 2.01 s after it started.
    /// </summary>
    public sealed class WorkedExampleSession
    {
        public const string Serial = "HS1-000001";
        /// <summary>The session identity the doc shows; on the device it is drawn at random.</summary>
        public const long Identity = unchecked((long)0x9387688a6a25d95fUL);
        public const long StartUnixMs = 1736933400020;
        public const uint StartDeviceMs = 5100;
        public const int Frames = 51;
        public const float StopS = 2.01f;

        private readonly SessionStore _store;
        private readonly SessionInfo _session;

        public WorkedExampleSession()
        {
            var flash = new FlashModel(192 * 1024);
            _store = new SessionStore(flash, "/", new FixedRandom(Identity));
            _store.Recover();
            var recorder = new SessionRecorder(_store, flash);
            _session = recorder.Start(Header(), 0f) ?? throw new InvalidOperationException("the recorder refused to start");
            var frame = new PostureMetrics { ValidSegments = 0 }; // no IMUs attached: nothing valid
            for (int i = 0; i < Frames; i++) recorder.AddFrame(frame);
            recorder.Stop(StopReason.Requested, StopS);
            while (_session.DigestState == SessionInfo.DigestPending) _store.Digester.Pump();
            File = new byte[_session.Length];
            _store.Read(_session, 0, File, 0, File.Length);
        }

        /// <summary>The header as Recording.Start fills it: the firmware version is the device identity's own.</summary>
        private static SessionHeader Header()
        {
            var identity = new DeviceIdentity { Serial = Serial };
            var h = new SessionHeader
            {
                DeviceSerial = identity.Serial,
                FirmwareMajor = identity.FirmwareMajor,
                FirmwareMinor = identity.FirmwareMinor,
                FirmwarePatch = identity.FirmwarePatch,
                StartUnixMs = StartUnixMs,
                StartDeviceMs = StartDeviceMs,
                FrameRateHz = DeviceConfig.ReportRateHz,
            };
            return h; // default config and calibration: the device's before any write or calibration
        }

        /// <summary>The session file as stored.</summary>
        public byte[] File { get; }

        public int Id => _session.Id;

        public SessionEntry Entry => _session.ToEntry();

        /// <summary>The first 12 bytes of the digest the device computed.</summary>
        public byte[] Tag
        {
            get
            {
                var t = new byte[SessionFormat.DigestTagBytes];
                for (int i = 0; i < t.Length; i++) t[i] = _session.TagByte(i);
                return t;
            }
        }

        /// <summary>
        /// A download from <paramref name="offset"/> at <paramref name="mtu"/> as DownloadPump sends
        /// it: the SessionData notifications, then the DownloadDone event (its Control notification).
        /// </summary>
        public (List<byte[]> Packets, byte[] Done) Download(int mtu, int offset)
        {
            var queue = new NotificationQueue(8) { LinkSecure = true };
            var pump = new DownloadPump(_store, queue, new ControlPoint(queue));
            if (pump.Start(Id, offset) != ResultCode.Accepted) throw new InvalidOperationException("download refused");
            var packets = new List<byte[]>();
            var buffer = new byte[NotificationQueue.MaxPayload];
            for (int pass = 0; pass < 1000; pass++)
            {
                pump.Pump(mtu);
                while (queue.TryDequeue(buffer, out GattCharacteristic target, out int length))
                {
                    byte[] b = buffer.AsSpan(0, length).ToArray();
                    if (target == GattCharacteristic.SessionData) packets.Add(b);
                    else if (target == GattCharacteristic.Control) return (packets, b);
                }
            }
            throw new InvalidOperationException("no DownloadDone");
        }

        // Hands out the identity's bytes as SessionStore reads them (little-endian).
        private sealed class FixedRandom : IRandomSource
        {
            private readonly long _value;

            public FixedRandom(long value) { _value = value; }

            public int Next(int maxExclusive) { return 0; }

            public void Fill(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++) buffer[offset + i] = (byte)(_value >> (8 * (i % 8)));
            }
        }
    }
}
