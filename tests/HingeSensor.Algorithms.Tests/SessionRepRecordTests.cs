using HingeSensor.Algorithms.Reps;
using HingeSensor.Protocol;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    /// <summary>The rep record of a session: the coaching bytes travel, and a firmware 1.x record still reads.</summary>
    public class SessionRepRecordTests
    {
        private static Rep Sample() => new()
        {
            Number = 7, Counted = true, StartS = 12.5f, EndS = 15.25f, DepthDeg = 84.3f, DescentS = 1.2f, BottomS = 0.3f, AscentS = 1.1f,
            MaxTrunkFlexionDeg = 9.5f, MaxHeadFlexionDeg = 4.1f, MinHeadFlexionDeg = -2f, MaxHingeAngleDeg = 61f, FaultMask = 2,
            Pattern = RepPattern.Squat, Lockout = Lockout.OverExtension, DepthReached = true, PelvisShare = 0.43f, SacrumDropCm = 31.4f,
        };

        private static byte[] Encode(Rep rep, out int length)
        {
            var b = new byte[64];
            var w = new ByteWriter(b, 0, b.Length);
            SessionRep.Write(ref w, ref rep, 10f);
            length = w.Position;
            return b;
        }

        [Fact]
        public void A_rep_with_its_pattern_lockout_depth_pelvis_share_and_sacrum_drop_reads_back()
        {
            byte[] b = Encode(Sample(), out int n);
            Assert.Equal(SessionRep.EncodedLength, n);
            var r = new ByteReader(b, 0, n);
            Rep back = SessionRep.Read(ref r);
            Assert.True(r.Ok);
            Assert.Equal(RepPattern.Squat, back.Pattern);
            Assert.Equal(Lockout.OverExtension, back.Lockout);
            Assert.True(back.DepthReached);
            Assert.Equal(0.43f, back.PelvisShare, 3);
            Assert.Equal(31.4f, back.SacrumDropCm, 3);
            Assert.Equal(2.5f, back.StartS, 3);
            Assert.Equal(2, back.FaultMask);
        }

        [Fact]
        public void A_firmware_1_rep_record_of_28_bytes_reads_with_the_coaching_unknown()
        {
            byte[] b = Encode(Sample(), out _);
            var r = new ByteReader(b, 0, SessionRep.EncodedLengthV1);
            Rep back = SessionRep.Read(ref r);
            Assert.True(r.Ok);
            Assert.Equal(0, r.Remaining);
            Assert.Equal(RepPattern.Unknown, back.Pattern);
            Assert.Equal(Lockout.Unknown, back.Lockout);
            Assert.False(back.DepthReached);
            Assert.Equal(84.3f, back.DepthDeg, 2);
        }

        [Fact]
        public void Values_the_record_cannot_hold_are_clamped_not_wrapped()
        {
            Rep rep = Sample();
            rep.PelvisShare = float.NaN;
            rep.SacrumDropCm = 5000f;
            byte[] b = Encode(rep, out int n);
            var r = new ByteReader(b, 0, n);
            Rep back = SessionRep.Read(ref r);
            Assert.Equal(0f, back.PelvisShare);
            Assert.Equal(3276.7f, back.SacrumDropCm, 1);
        }
    }
}
