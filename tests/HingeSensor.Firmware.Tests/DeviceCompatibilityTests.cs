using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    public class DeviceCompatibilityTests
    {
        [Fact]
        public void The_firmware_core_and_the_algorithms_compile_for_the_device_without_generics()
        {
            DeviceCheckResult result = DeviceCompatibilityCheck.CheckDirectories(
                RepositoryPaths.InRepo("shared", "HingeSensor.Algorithms"),
                RepositoryPaths.InRepo("firmware", "HingeSensor.Nano", "Core"));
            Assert.True(result.Passed, result.ToString());
        }
    }
}
