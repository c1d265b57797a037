using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.VirtualDevice;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>What the device sent, sorted by characteristic (a minimal GATT client for the core's tests).</summary>
    public sealed class TestLink
    {
        public record Response(int Opcode, int Id, ResultCode Result, byte[] Payload);
        public record Event(DeviceEvent Kind, byte[] Payload, double TimeS);

        private readonly VirtualRig _rig;
        private int _nextId = 1;
        private readonly byte[] _buffer = new byte[NotificationQueue.MaxPayload];

        public TestLink(VirtualRig rig, int mtu = 185, bool secure = true)
        {
            _rig = rig;
            Mtu = mtu;
            rig.Core.OnConnected(mtu);
            rig.Core.OnSecurityChanged(secure);
        }

        public int Mtu { get; }
        public readonly List<Response> Responses = new();
        public readonly List<Event> Events = new();
        public readonly List<byte[]> Live = new();
        public readonly List<byte[]> Status = new();
        public readonly List<byte[]> Config = new();
        public readonly List<byte[]> SessionData = new();

        /// <summary>Largest notification seen (must stay ≤ MTU − 3).</summary>
        public int LargestNotification;

        /// <summary>Takes everything the device has queued.</summary>
        public void Drain()
        {
            while (_rig.Core.Notifications.TryDequeue(_buffer, out GattCharacteristic target, out int length))
            {
                LargestNotification = Math.Max(LargestNotification, length);
                byte[] b = _buffer.AsSpan(0, length).ToArray();
                switch (target)
                {
                    case GattCharacteristic.Control:
                        if (b[0] == (byte)ControlMessage.Response) Responses.Add(new Response(b[1], b[2], (ResultCode)b[3], b[4..]));
                        else Events.Add(new Event((DeviceEvent)b[1], b[2..], _rig.TimeS));
                        break;
                    case GattCharacteristic.Live: Live.Add(b); break;
                    case GattCharacteristic.Status: Status.Add(b); break;
                    case GattCharacteristic.Config: Config.Add(b); break;
                    case GattCharacteristic.SessionData: SessionData.Add(b); break;
                }
            }
        }

        /// <summary>Advances the rig in 10 ms steps, draining as a BLE stack would (to the millisecond the rig's clock has: t rounds).</summary>
        public void RunTo(double t)
        {
            long endUs = (long)Math.Round(t * 1000) * 1000;
            while (_rig.TimeUs < endUs)
            {
                _rig.AdvanceTo(Math.Min(t, _rig.TimeS + 0.01));
                Drain();
            }
        }

        /// <summary>Advances the rig as <see cref="RunTo"/> until <paramref name="done"/> holds; false if it still does not after <paramref name="maxS"/> seconds of device time.</summary>
        public bool RunUntil(Func<bool> done, double maxS)
        {
            double end = _rig.TimeS + maxS;
            while (!done())
            {
                if (_rig.TimeS >= end) return false;
                RunTo(_rig.TimeS + 0.01);
            }
            return true;
        }

        /// <summary>
        /// Calibrates as the user's app does for <see cref="Scenarios.Workout"/>'s wearer: neutral when
        /// the script stands still (0.5 s), hinge when it hinges (4 s), until that capture is over.
        /// </summary>
        public void CalibrateWorkout()
        {
            RunTo(0.5);
            Assert.Equal(ResultCode.Accepted, Request(Opcode.CalibrateNeutral).Result);
            RunTo(4.0);
            Assert.Equal(ResultCode.Accepted, Request(Opcode.CalibrateHinge).Result);
            Assert.True(RunUntil(() => _rig.Core.Tracker.Capturing == CalibrationStep.None, 30), "the hinge capture did not end");
        }

        /// <summary>Writes a request, runs the loop a little, returns its response.</summary>
        public Response Request(Opcode op, params byte[] parameters) => Request((int)op, parameters);

        public Response Request(int opcode, byte[] parameters)
        {
            int id = _nextId++ & 0xFF;
            byte[] w = new byte[] { (byte)opcode, (byte)id }.Concat(parameters).ToArray();
            _rig.Core.OnControlWrite(w, w.Length);
            RunTo(_rig.TimeS + 0.03);
            return Responses.Last(r => r.Id == id && r.Opcode == opcode);
        }

        public static byte[] U16(int v) => new[] { (byte)v, (byte)(v >> 8) };

        /// <summary>What a host that stored session <paramref name="id"/> as the flash holds it sends: the first 12 bytes of its SHA-256.</summary>
        public byte[] StoredTag(int id) => StoreKit.Tag(_rig.Flash.Contents(_rig.Core.Sessions.PathOf(id)).AsSpan(0, _rig.Core.Sessions.Find(id)!.Length).ToArray());

        /// <summary>MarkDownloaded's parameters: [id u16][digest tag].</summary>
        public static byte[] MarkParams(int id, byte[] tag) => U16(id).Concat(tag).ToArray();

        /// <summary>EraseSession's parameters: [id u16][force u8][digest tag] (zeros when forced).</summary>
        public static byte[] EraseParams(int id, bool force, byte[]? tag = null) =>
            U16(id).Concat(new[] { (byte)(force ? 1 : 0) }).Concat(tag ?? new byte[HingeSensor.Protocol.SessionFormat.DigestTagBytes]).ToArray();
        public static byte[] U32(uint v) => BitConverter.GetBytes(v);
        public static byte[] I64(long v) => BitConverter.GetBytes(v);
    }
}
