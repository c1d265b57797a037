using System;
using System.Collections.Generic;
using HingeSensor.Protocol;
using HingeSensor.Host.Link;
using HingeSensor.Host.Link.BlueZ;
using Tmds.DBus.Protocol;
using Xunit;
using InterfaceMap = System.Collections.Generic.Dictionary<string, System.Collections.Generic.Dictionary<string, Tmds.DBus.Protocol.VariantValue>>;

namespace HingeSensor.Host.Tests.BlueZ
{
    /// <summary>
    /// The pure parts of the BlueZ transport: what it concludes from BlueZ's object tree, how it finds
    /// the bus, how it words D-Bus errors. (Decoding the wire format itself is covered by the tests
    /// against the fake BlueZ, where real messages are read.)
    /// </summary>
    public sealed class BlueZHelperTests
    {
        private const string Hci0 = "/org/bluez/hci0";
        private const string Device = Hci0 + "/dev_AA_BB_CC_DD_EE_FF";
        private const string Device1 = Hci0 + "/dev_AA_BB_CC_DD_EE_F1";

        [Fact]
        public void Characteristics_are_those_below_the_device_by_lower_case_uuid_with_their_mtu()
        {
            var objects = new ManagedObjects(new Dictionary<string, InterfaceMap>
            {
                [Hci0] = Adapter(powered: true),
                [Device] = DeviceObject("AA:BB:CC:DD:EE:FF"),
                [Device + "/service0010"] = new() { ["org.bluez.GattService1"] = new() { ["UUID"] = GattIds.HingeService } },
                [Device + "/service0010/char0014"] = Characteristic(GattIds.Control.ToUpperInvariant(), mtu: 185),
                [Device + "/service0010/char0011"] = Characteristic(GattIds.Live, mtu: null),
                [Device + "/service0010/char0014/desc0016"] = new() { ["org.bluez.GattDescriptor1"] = new() { ["UUID"] = Uuids.Of(0x2902) } },
                // Another device whose path starts with ours: its characteristics are not ours.
                [Device1] = DeviceObject("AA:BB:CC:DD:EE:F1"),
                [Device1 + "/service0010/char0012"] = Characteristic(GattIds.Status, mtu: 23),
            });

            IReadOnlyDictionary<string, CharacteristicInfo> found = objects.Characteristics(Device);

            Assert.Equal(2, found.Count);
            Assert.Equal(new CharacteristicInfo(Device + "/service0010/char0014", GattIds.Control, 185), found[GattIds.Control]);
            Assert.Equal(new CharacteristicInfo(Device + "/service0010/char0011", GattIds.Live, null), found[GattIds.Live]);
        }

        [Fact]
        public void The_first_of_two_characteristics_with_one_uuid_in_handle_order_wins()
        {
            var objects = new ManagedObjects(new Dictionary<string, InterfaceMap>
            {
                [Device + "/service0020/char0021"] = Characteristic(GattIds.Status, mtu: 23),
                [Device + "/service0010/char0011"] = Characteristic(GattIds.Status, mtu: 23),
            });

            Assert.Equal(Device + "/service0010/char0011", objects.Characteristics(Device)[GattIds.Status].Path);
        }

        [Fact]
        public void Devices_are_found_by_address_in_any_case_on_the_chosen_adapter()
        {
            var objects = new ManagedObjects(new Dictionary<string, InterfaceMap>
            {
                [Hci0] = Adapter(powered: true),
                ["/org/bluez/hci1"] = Adapter(powered: true),
                [Device] = DeviceObject("AA:BB:CC:DD:EE:FF"),
                ["/org/bluez/hci1/dev_AA_BB_CC_DD_EE_FF"] = DeviceObject("AA:BB:CC:DD:EE:FF"),
            });

            Assert.Equal(Device, objects.FindDevice("aa:bb:cc:dd:ee:ff", Hci0));
            Assert.Equal("/org/bluez/hci1/dev_AA_BB_CC_DD_EE_FF", objects.FindDevice("AA:BB:CC:DD:EE:FF", "/org/bluez/hci1"));
            Assert.Null(objects.FindDevice("00:00:00:00:00:01"));
        }

        [Fact]
        public void The_adapter_is_the_named_one_or_the_first_powered_one()
        {
            var objects = new ManagedObjects(new Dictionary<string, InterfaceMap>
            {
                [Hci0] = Adapter(powered: false),
                ["/org/bluez/hci1"] = Adapter(powered: true),
            });

            Assert.Equal(new AdapterInfo("/org/bluez/hci1", "hci1", true), objects.RequireAdapter());
            Assert.Equal("hci1", objects.RequireAdapter("hci1").Name);
            var off = Assert.Throws<LinkUnavailableException>(() => objects.RequireAdapter("hci0"));
            Assert.Equal("the Bluetooth adapter hci0 is powered off — power it on with `bluetoothctl power on`", off.Message);
            var missing = Assert.Throws<LinkUnavailableException>(() => objects.RequireAdapter("hci7"));
            Assert.Equal("no Bluetooth adapter hci7: BlueZ has hci0, hci1", missing.Message);
            var none = Assert.Throws<LinkUnavailableException>(() => new ManagedObjects(new Dictionary<string, InterfaceMap>()).RequireAdapter());
            Assert.StartsWith("no Bluetooth adapter", none.Message);
        }

        [Fact]
        public void Property_reads_treat_missing_or_mistyped_values_as_absent()
        {
            var props = new Dictionary<string, VariantValue>
            {
                ["RSSI"] = VariantValue.Int16(-61),
                ["MTU"] = VariantValue.UInt16(517),
                ["Name"] = VariantValue.Int32(5),
                ["UUIDs"] = VariantValue.Array(new[] { "a", "b" }),
                ["Value"] = VariantValue.Array(new byte[] { 9, 8 }),
                ["Connected"] = true,
            };

            Assert.Equal(-61, PropertyMap.Int(props, "RSSI"));
            Assert.Equal(517, PropertyMap.Int(props, "MTU"));
            Assert.Null(PropertyMap.String(props, "Name"));
            Assert.Null(PropertyMap.Int(props, "TxPower"));
            Assert.Equal(new[] { "a", "b" }, PropertyMap.Strings(props, "UUIDs"));
            Assert.Empty(PropertyMap.Strings(props, "Name"));
            Assert.Equal(new byte[] { 9, 8 }, PropertyMap.Bytes(props, "Value"));
            Assert.Null(PropertyMap.Bytes(props, "UUIDs"));
            Assert.True(PropertyMap.Bool(props, "Connected"));
            Assert.Null(PropertyMap.Bool(props, "Paired"));
        }

        [Fact]
        public void A_hinge_sensor_advertises_the_service_or_carries_the_name_prefix()
        {
            var scanner = new BlueZScanner("unix:path=/unused");

            Assert.True(scanner.IsHingeSensor(new Dictionary<string, VariantValue> { ["UUIDs"] = VariantValue.Array(new[] { GattIds.HingeService.ToUpperInvariant() }) }));
            Assert.True(scanner.IsHingeSensor(new Dictionary<string, VariantValue> { ["Alias"] = "HingeSensor-7F" }));
            Assert.False(scanner.IsHingeSensor(new Dictionary<string, VariantValue> { ["Name"] = "Headphones", ["UUIDs"] = VariantValue.Array(new[] { Uuids.Of(0x110B) }) }));
            Assert.False(new BlueZScanner("unix:path=/unused") { NamePrefix = "" }.IsHingeSensor(new Dictionary<string, VariantValue> { ["Name"] = "x" }));
        }

        [Theory]
        [InlineData("unix:path=/run/dbus/system_bus_socket", "/run/dbus/system_bus_socket")]
        [InlineData("unix:path=/tmp/a%20b/bus,guid=0123", "/tmp/a b/bus")]
        [InlineData("unix:guid=0123,path=/tmp/bus", "/tmp/bus")]
        [InlineData("unix:abstract=/tmp/dbus-x", null)]
        [InlineData("tcp:host=localhost,port=1234", null)]
        [InlineData("unix:path=/a;unix:path=/b", null)]
        public void The_socket_to_check_is_that_of_a_single_unix_path_address(string address, string? socket)
        {
            Assert.Equal(socket, SystemBusAddress.SocketPath(address));
        }

        [Fact]
        public void An_explicit_bus_address_wins_over_the_environment()
        {
            Assert.Equal("unix:path=/mine", SystemBusAddress.Resolve("unix:path=/mine"));
            string? environment = Environment.GetEnvironmentVariable(SystemBusAddress.EnvironmentVariable);
            Assert.Equal(string.IsNullOrWhiteSpace(environment) ? SystemBusAddress.Default : environment, SystemBusAddress.Resolve(null));
        }

        [Theory]
        [InlineData("org.freedesktop.DBus.Error.ServiceUnknown", true, typeof(LinkUnavailableException), "BlueZ (org.bluez) is not running")]
        [InlineData("org.bluez.Error.NotReady", false, typeof(LinkUnavailableException), "bluetoothctl power on")]
        [InlineData("org.bluez.Error.NotAuthorized", false, typeof(NotPairedException), "not paired with this computer: open the pairing window on the device (hold its button for 4 s")]
        [InlineData("org.bluez.Error.NotPermitted", false, typeof(NotPairedException), "and run `hinge pair --device AA:BB:CC:DD:EE:FF`")]
        [InlineData("org.bluez.Error.AuthenticationFailed", true, typeof(NotPairedException), "doing it: boom (org.bluez.Error.AuthenticationFailed) — AA:BB:CC:DD:EE:FF is not paired")]
        [InlineData("org.bluez.Error.NotConnected", false, typeof(LinkLostException), "not connected")]
        [InlineData("org.bluez.Error.NotConnected", true, typeof(LinkUnavailableException), "not connected")]
        [InlineData("org.bluez.Error.InProgress", true, typeof(LinkUnavailableException), "busy")]
        [InlineData("org.freedesktop.DBus.Error.UnknownObject", false, typeof(LinkLostException), "no longer has this object")]
        [InlineData("org.bluez.Error.Failed", true, typeof(LinkUnavailableException), "switched on, in range")]
        [InlineData("org.bluez.Error.Failed", false, typeof(LinkLostException), "doing it failed: boom (org.bluez.Error.Failed)")]
        public void Dbus_errors_become_link_exceptions_that_say_what_to_do(string errorName, bool settingUp, Type expected, string says)
        {
            Exception mapped = BlueZErrors.ToLinkException(new DBusErrorReplyException(errorName, "boom"), "doing it", settingUp, "AA:BB:CC:DD:EE:FF");

            Assert.IsType(expected, mapped);
            Assert.Contains(says, mapped.Message);
        }

        [Fact]
        public void Other_exceptions_are_not_translated()
        {
            var bug = new InvalidOperationException("bug");

            Assert.False(BlueZErrors.IsTransportError(bug));
            Assert.Same(bug, BlueZErrors.ToLinkException(bug, "doing it", settingUp: false));
            Assert.IsType<LinkLostException>(BlueZErrors.ToLinkException(new TimeoutException("no answer"), "doing it", settingUp: false));
        }

        private static InterfaceMap Adapter(bool powered) =>
            new() { ["org.bluez.Adapter1"] = new() { ["Powered"] = powered } };

        private static InterfaceMap DeviceObject(string address) =>
            new() { ["org.bluez.Device1"] = new() { ["Address"] = address } };

        private static InterfaceMap Characteristic(string uuid, ushort? mtu)
        {
            var props = new Dictionary<string, VariantValue> { ["UUID"] = uuid };
            if (mtu is ushort value)
            {
                props["MTU"] = VariantValue.UInt16(value);
            }
            return new() { ["org.bluez.GattCharacteristic1"] = props };
        }
    }
}
