using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Storage;
using Xunit;

namespace HingeSensor.Host.Tests
{
    /// <summary>Trunk and head flexion read back from stored inclinations are the device's own, wrap-around included.</summary>
    public class FlexionAgreementTests
    {
        [Theory]
        [InlineData(10f, 40f, 20f, 20f, -30f)]       // an ordinary hinge: nothing to wrap
        [InlineData(-170f, -175f, 170f, 15f, 5f)]    // upper back and sacrum either side of ±180°: trunk 15°, not −345°
        [InlineData(-175f, 175f, 170f, 5f, 10f)]     // head and upper back either side of ±180°: head 10°, not −350°
        [InlineData(175f, -178f, 170f, 12f, -7f)]    // both: trunk 12°, not −348°; head −7°, not 353°
        public void Stored_and_decoded_frames_derive_flexion_as_the_posture_calculator_does(float headSag, float upperSag, float sacrumSag, float trunk, float head)
        {
            var m = new PostureMetrics();
            new PostureCalculator(new BodyCalibration(), new BodyDimensions()).FromInclinations(headSag, upperSag, sacrumSag, 7, 0f, m);
            var stored = new StoredFrame(0, headSag, 0, upperSag, 0, sacrumSag, 0, 7);
            var decoded = new SessionFrame(0, headSag, 0, upperSag, 0, sacrumSag, 0, 7);

            Assert.Equal(trunk, m.TrunkFlexionDeg, 3);
            Assert.Equal(head, m.HeadFlexionDeg, 3);
            Assert.Equal(m.TrunkFlexionDeg, stored.TrunkFlexion);
            Assert.Equal(m.HeadFlexionDeg, stored.HeadFlexion);
            Assert.Equal(m.TrunkFlexionDeg, decoded.TrunkFlexion);
            Assert.Equal(m.HeadFlexionDeg, decoded.HeadFlexion);
        }
    }
}
