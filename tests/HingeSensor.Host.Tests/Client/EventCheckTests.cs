using System.Collections.Generic;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Tests.Campaigns;
using Xunit;

namespace HingeSensor.Host.Tests.Client
{
    /// <summary>Events that are not what protocol §7 says are counted and dropped, never shown.</summary>
    public class EventCheckTests
    {
        [Theory]
        [InlineData(MalformedKind.Inconsistent, new byte[] { 0xF1, 5, 1, 9, 0x40, 0xE2, 0x01, 0, 0x66, 0x08 })]         // alignment "started" for fault 9: was announced "ALERT none"
        [InlineData(MalformedKind.Inconsistent, new byte[] { 0xF1, 4, 200, 1 })]                                           // sensor 200: was "sensor sacrum: LOST"
        [InlineData(MalformedKind.Inconsistent, new byte[] { 0xF1, 1, 2, 77, 0xFF, 10, 10, 10, 0, 0 })]                    // calibration status 77
        [InlineData(MalformedKind.Inconsistent, new byte[] { 0xF1, 3, 1, 0, 9 })]                                          // recording stopped for reason 9
        [InlineData(MalformedKind.Inconsistent, new byte[] { 0xF1, 5, 1, 2, 0x40, 0xE2, 0x01, 0, 0x66, 0x08, 0x00 })]      // a byte too many
        [InlineData(MalformedKind.Short, new byte[] { 0xF1, 5, 1, 2, 0x40, 0xE2, 0x01, 0, 0x66 })]                        // a byte short
        [InlineData(MalformedKind.Short, new byte[] { 0xF1, 6, 3, 0, 0, 8, 0, 0 })]                                        // DownloadFailed without its result
        public void An_event_outside_the_protocol_is_counted_and_not_shown(MalformedKind kind, byte[] message)
        {
            var link = new FuzzLink();
            var shown = new List<DeviceEventMessage>();
            link.Client.EventReceived += shown.Add;

            link.Deliver(GattIds.Control, message);

            Assert.Empty(shown);
            Assert.Equal(1, link.Client.Health.Malformed(kind));
        }

        [Fact]
        public void An_event_within_the_protocol_is_shown()
        {
            var link = new FuzzLink();
            var shown = new List<DeviceEventMessage>();
            link.Client.EventReceived += shown.Add;

            link.Deliver(GattIds.Control, new byte[] { 0xF1, 5, 1, 2, 0x40, 0xE2, 0x01, 0, 0x66, 0x08 });

            Assert.Equal("123.5 s  ALERT chin drop (22°)", HingeSensor.Host.Live.LiveState.Describe(Assert.Single(shown))!.Trim());
            Assert.Equal(0, link.Client.Health.MalformedTotal);
        }
    }
}
