using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Ble
{
    /// <summary>
    /// The events a host hears on the control characteristic ([F1][event][payload],
    /// docs/protocol.md), one method per event, each payload encoded here, little-endian, straight
    /// into its notification. Only for the host connected now: queued while no one is, they would
    /// reach the next host late and out of context (the status tells it the state instead).
    /// </summary>
    public sealed class HostEvents
    {
        private const int P = ControlPoint.EventPayload;

        private readonly ControlPoint _control;
        private readonly LinkState _link;

        public HostEvents(ControlPoint control, LinkState link)
        {
            _control = control;
            _link = link;
        }

        /// <summary>[cue u8][rep u8][device ms u32][value × 100 i16].</summary>
        public void Cue(CoachingCueEvent e, uint deviceMs)
        {
            if (!_link.Connected) return;
            byte[]? b = _control.BeginEvent(DeviceEvent.Cue);
            if (b == null) return;
            b[P] = (byte)e.Cue;
            b[P + 1] = (byte)e.Rep;
            b[P + 2] = (byte)deviceMs;
            b[P + 3] = (byte)(deviceMs >> 8);
            b[P + 4] = (byte)(deviceMs >> 16);
            b[P + 5] = (byte)(deviceMs >> 24);
            Centidegrees(b, P + 6, e.Value);
            _control.CommitEvent(8);
        }

        /// <summary>[kind u8][fault u8][device ms u32][peak centidegrees i16].</summary>
        public void Alignment(AlignmentEvent e, uint deviceMs)
        {
            if (!_link.Connected) return;
            byte[]? b = _control.BeginEvent(DeviceEvent.Alignment);
            if (b == null) return;
            b[P] = (byte)e.Kind;
            b[P + 1] = (byte)e.Fault;
            b[P + 2] = (byte)deviceMs;
            b[P + 3] = (byte)(deviceMs >> 8);
            b[P + 4] = (byte)(deviceMs >> 16);
            b[P + 5] = (byte)(deviceMs >> 24);
            Centidegrees(b, P + 6, e.PeakDeg);
            _control.CommitEvent(8);
        }

        /// <summary>[step u8][status u8][failed segment u8, FF none][quality u8 ×3][range centidegrees i16].</summary>
        public void CalibrationDone(CalibrationReport r, float rangeTrunkFlexionDeg)
        {
            if (!_link.Connected) return;
            byte[]? b = _control.BeginEvent(DeviceEvent.CalibrationDone);
            if (b == null) return;
            b[P] = (byte)r.Step;
            b[P + 1] = (byte)r.Status;
            b[P + 2] = (byte)(r.FailedSegment < 0 ? 0xFF : r.FailedSegment);
            for (int i = 0; i < 3; i++) b[P + 3 + i] = (byte)(int)(r.SegmentQuality[i] * 255f);
            Centidegrees(b, P + 6, rangeTrunkFlexionDeg);
            _control.CommitEvent(8);
        }

        /// <summary>[segment u8][state u8].</summary>
        public void SensorHealth(int segment, SensorState state)
        {
            if (!_link.Connected) return;
            byte[]? b = _control.BeginEvent(DeviceEvent.SensorHealth);
            if (b == null) return;
            b[P] = (byte)segment;
            b[P + 1] = (byte)state;
            _control.CommitEvent(2);
        }

        /// <summary>[session u16][reason u8].</summary>
        public void RecordingStopped(int sessionId, StopReason reason)
        {
            if (!_link.Connected) return;
            byte[]? b = _control.BeginEvent(DeviceEvent.RecordingStopped);
            if (b == null) return;
            b[P] = (byte)sessionId;
            b[P + 1] = (byte)(sessionId >> 8);
            b[P + 2] = (byte)reason;
            _control.CommitEvent(3);
        }

        // An angle as the protocol carries it: i16 hundredths of a degree (ByteWriter's rounding and clamping).
        private static void Centidegrees(byte[] b, int at, float deg)
        {
            int v = ByteWriter.CentidegreesOf(deg);
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
        }
    }
}
