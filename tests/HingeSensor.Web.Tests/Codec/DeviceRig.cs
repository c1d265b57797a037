using System.Collections.Generic;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.Web.Tests.Codec
{
    /// <summary>
    /// The firmware core's own control point, request dispatcher and event encoder (ControlPoint,
    /// RequestDispatcher, HostEvents), with fakes behind the interfaces of the parts they call:
    /// the requests of the golden vectors are read by the device's decoder (the fakes keep what it
    /// read), and its answers and events are the device's encoders' bytes, taken off the
    /// notification queue as the BLE glue would send them.
    /// </summary>
    internal sealed class DeviceRig
    {
        public readonly NotificationQueue Queue = new(24) { LinkSecure = true };
        public readonly ControlPoint Control;
        public readonly LinkState Link;
        public readonly DeviceClock Clock = new();
        public readonly PostureTracker Tracker = new(new TrackerSettings());
        public readonly FakeRecording Recording = new();
        public readonly FakeSessions Sessions = new();
        public readonly FakeDownloads Downloads = new();
        public readonly FakeConfiguration Configuration = new();
        public readonly HostEvents Events;
        private readonly RequestDispatcher _dispatcher;

        public DeviceRig(int mtu = 247)
        {
            Control = new ControlPoint(Queue);
            Link = new LinkState(Queue, Control) { Connected = true, Mtu = mtu };
            Events = new HostEvents(Control, Link);
            _dispatcher = new RequestDispatcher(Link, Control, Clock, Tracker, new HapticEngine(new MotorLog()),
                Recording, Sessions, Downloads, Configuration, new SilentView());
        }

        /// <summary>Writes a request as a host would, runs the main loop's request step, and returns the Control notifications queued.</summary>
        public List<byte[]> Request(byte[] request, bool secure = true)
        {
            Control.OnWrite(request, request.Length, secure);
            _dispatcher.RunWaiting();
            return Drain();
        }

        /// <summary>Every Control notification waiting, in order.</summary>
        public List<byte[]> Drain()
        {
            var all = new List<byte[]>();
            var b = new byte[NotificationQueue.MaxPayload];
            while (Queue.TryDequeue(b, out GattCharacteristic target, out int length))
                if (target == GattCharacteristic.Control) all.Add(b[..length]);
            return all;
        }

        internal sealed class FakeRecording : IRecordingControl
        {
            public ResultCode StartResult = ResultCode.Success;
            public bool Running;
            public int Id = 1;
            public ResultCode Start() { if (StartResult == ResultCode.Success) Running = true; return StartResult; }
            public bool Stop() { bool was = Running; Running = false; return was; }
            public int SessionId => Running ? Id : 0;
        }

        /// <summary>Sessions to list; what MarkDownloaded and EraseSession were called with (as the dispatcher read it).</summary>
        internal sealed class FakeSessions : ISessionCatalog
        {
            public readonly List<SessionInfo> List = new();
            public ResultCode Result = ResultCode.Success;
            public int LastId = -1;
            public bool LastForce;
            public byte[] LastTag = System.Array.Empty<byte>();
            public int Count => List.Count;
            public SessionInfo At(int i) => List[i];
            public ResultCode MarkDownloaded(int id, byte[] tag, int offset) => Take(id, false, tag, offset);
            public ResultCode Erase(int id, bool force, byte[] tag, int offset) => Take(id, force, tag, offset);

            private ResultCode Take(int id, bool force, byte[] tag, int offset)
            {
                LastId = id;
                LastForce = force;
                LastTag = tag[offset..(offset + SessionFormat.DigestTagBytes)];
                return Result;
            }
        }

        internal sealed class FakeDownloads : IDownloads
        {
            public ResultCode Result = ResultCode.Accepted;
            public int LastId = -1, LastOffset;
            public int SessionId { get; set; }
            public bool Aborted;

            public ResultCode Start(int id, int offset)
            {
                LastId = id;
                LastOffset = offset;
                if (Result == ResultCode.Accepted) SessionId = id;
                return Result;
            }

            public void Abort() { Aborted = true; SessionId = 0; }
        }

        internal sealed class FakeConfiguration : IConfiguration
        {
            public bool SaveFails;
            public byte[]? LastRecord;
            public bool WasReset;

            /// <summary>As the device's Configuration: the record is decoded and validated by DeviceConfig.Decode.</summary>
            public ResultCode Write(byte[] record, int offset, int count, out ConfigField bad)
            {
                LastRecord = record[offset..(offset + count)];
                bad = DeviceConfig.Decode(record, offset, count, new DeviceConfig());
                if (bad != ConfigField.None) return ResultCode.InvalidParameter;
                return SaveFails ? ResultCode.InternalError : ResultCode.Success;
            }

            public ResultCode Reset() { WasReset = true; return SaveFails ? ResultCode.InternalError : ResultCode.Success; }
        }

        private sealed class SilentView : IHostView
        {
            public void Refresh() { }
            public void NotifyStatusIfChanged() { }
            public void NotifyConfig() { }
        }
    }
}
