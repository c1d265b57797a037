using HingeSensor.TestSupport;
using System;
using System.IO;
using HingeSensor.Host.Cli;
using HingeSensor.Host.Storage;
using Xunit;

namespace HingeSensor.Web.Tests
{
    /// <summary>`hinge calibrate` and `hinge record` after their actions moved to DeviceActions (shared with the dashboard's buttons): same words, same exit codes.</summary>
    [Collection("dashboard")]
    public class CliDeviceActionTests
    {
        private static (int Code, string Out, string Err) Hinge(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = HingeCli.Run(args, o, e);
            return (code, o.ToString(), e.ToString());
        }

        [Fact]
        public void Calibrate_and_record_on_the_virtual_device_say_what_the_device_answered()
        {
            // The virtual device's flash lives in the data directory: give it a scratch one.
            string? before = Environment.GetEnvironmentVariable(HingeHome.HomeVariable);
            using var dir = new TempDir();
            Environment.SetEnvironmentVariable(HingeHome.HomeVariable, dir.Path);
            try
            {
                var stop = Hinge("record", "stop", "--virtual");
                Assert.Equal(1, stop.Code);
                Assert.Contains("hinge record stop: the device is not recording", stop.Err);

                // Real time: the demo wearer stands still for 3 s from boot, and the 3 s capture must fit in it.
                var neutral = Hinge("calibrate", "neutral", "--virtual", "--speed", "1");
                Assert.True(neutral.Code == 0, neutral.Out + neutral.Err);
                Assert.Contains("Stand still and tall for 3 s.", neutral.Out);
                Assert.Contains("neutral calibration ok (quality head ", neutral.Out);

                var json = Hinge("record", "stop", "--virtual", "--json");
                Assert.Equal(1, json.Code);
                Assert.Contains("\"result\":\"invalid_state\"", json.Out); // snake_case like every other machine-readable name, with the sentence in "message"
            }
            finally
            {
                Environment.SetEnvironmentVariable(HingeHome.HomeVariable, before);
            }
        }
    }
}
