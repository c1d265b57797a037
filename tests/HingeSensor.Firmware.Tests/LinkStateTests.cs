using HingeSensor.Nano.Core.Ble;
using HingeSensor.Protocol;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>The link as the main loop sees it: LinkState alone, driven as the BLE thread drives it.</summary>
    public class LinkStateTests
    {
        private readonly NotificationQueue _queue = new(16);
        private readonly ControlPoint _control;
        private readonly LinkState _link;

        public LinkStateTests()
        {
            _control = new ControlPoint(_queue);
            _link = new LinkState(_queue, _control);
        }

        [Fact]
        public void Nothing_reported_is_nothing_changed()
        {
            Assert.Equal(0, _link.TakeEvents());
            Assert.False(_link.Connected);
        }

        [Fact]
        public void A_connect_is_taken_in_at_the_next_pass_with_its_MTU_within_what_a_notification_holds()
        {
            _link.OnConnected(517);
            Assert.False(_link.Connected);
            Assert.Equal(LinkState.Started | LinkState.MtuChanged, _link.TakeEvents());
            Assert.True(_link.Connected);
            Assert.Equal(NotificationQueue.MaxPayload + GattIds.AttNotifyOverhead, _link.Mtu);

            _link.OnMtuChanged(10);
            Assert.Equal(LinkState.MtuChanged, _link.TakeEvents());
            Assert.Equal(GattIds.MinimumMtu, _link.Mtu);
        }

        [Fact]
        public void A_host_replacing_another_within_one_pass_ends_the_old_link_and_starts_the_new_one_unsubscribed()
        {
            _link.OnConnected(185);
            _link.OnSubscribe(GattCharacteristic.Live, true);
            _link.TakeEvents();
            Assert.True(_link.LiveSubscribed);

            _link.OnDisconnected();
            _link.OnConnected(185);
            Assert.Equal(LinkState.Ended | LinkState.Started | LinkState.MtuChanged, _link.TakeEvents());
            Assert.True(_link.Connected);
            Assert.False(_link.LiveSubscribed);
        }

        [Fact]
        public void Becoming_secure_and_subscribing_to_the_battery_are_told_once()
        {
            _link.OnConnected(185);
            _link.TakeEvents();
            _link.OnSecurityChanged(true);
            _link.OnSubscribe(GattCharacteristic.BatteryLevel, true);
            Assert.Equal(LinkState.Secured | LinkState.BatteryResubscribed, _link.TakeEvents());
            Assert.True(_link.Secure);
            Assert.True(_queue.LinkSecure);
            Assert.True(_link.BatterySubscribed);
            _link.OnSecurityChanged(true); // still secure: nothing new
            Assert.Equal(0, _link.TakeEvents());
        }

        [Fact]
        public void A_disconnect_withdraws_security_at_once_and_the_subscriptions_at_the_next_pass()
        {
            _link.OnConnected(185);
            _link.OnSecurityChanged(true);
            _link.OnSubscribe(GattCharacteristic.Status, true);
            _link.TakeEvents();
            Assert.True(_link.StatusSubscribed);

            _link.OnDisconnected();
            Assert.False(_link.Secure);
            Assert.False(_queue.LinkSecure);
            Assert.Equal(LinkState.Ended, _link.TakeEvents());
            Assert.False(_link.Connected);
            Assert.False(_link.StatusSubscribed);
        }

        [Fact]
        public void Control_writes_carry_the_links_security()
        {
            _link.OnConnected(185);
            _link.TakeEvents();
            var b = new byte[NotificationQueue.MaxPayload];
            _link.OnControlWrite(new byte[] { (byte)Opcode.Identify, 1 }, 2);
            Assert.True(_queue.TryDequeue(b, out _, out _)); // refused at once, to any link
            Assert.Equal((byte)ResultCode.InsufficientSecurity, b[3]);
            Assert.False(_link.TakeRequest(b, out _));

            _link.OnSecurityChanged(true);
            _link.OnControlWrite(new byte[] { (byte)Opcode.Identify, 2 }, 2);
            Assert.True(_link.TakeRequest(b, out int length));
            Assert.Equal(2, length);
            Assert.Equal(2, b[1]);
        }
    }
}
