using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    [StartsEarly(3)]
    public class DeviceCompatibilityTests
    {
        [Fact]
        public void The_firmware_core_the_algorithms_and_the_protocol_compile_for_the_device_without_generics()
        {
            DeviceCheckResult result = DeviceCompatibilityCheck.CheckDirectories(
                RepositoryPaths.InRepo("shared", "HingeSensor.Algorithms"),
                RepositoryPaths.InRepo("shared", "HingeSensor.Protocol"),
                RepositoryPaths.InRepo("firmware", "HingeSensor.Nano", "Core"));
            Assert.True(result.Passed, result.ToString());
        }
    }
}
