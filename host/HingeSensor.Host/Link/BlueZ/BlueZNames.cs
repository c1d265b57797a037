namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>
    /// The names BlueZ's D-Bus API uses (bluez doc/org.bluez.*.rst). Kept in one place so the scanner,
    /// the link and the test fake cannot drift apart on a spelling.
    /// </summary>
    internal static class BlueZNames
    {
        /// <summary>bluetoothd's well-known name on the system bus.</summary>
        public const string Service = "org.bluez";

        /// <summary>BlueZ's ObjectManager lives at the root: every adapter, device and GATT object is below it.</summary>
        public const string RootPath = "/";

        public const string ObjectManager = "org.freedesktop.DBus.ObjectManager";
        public const string Properties = "org.freedesktop.DBus.Properties";

        public const string Adapter = "org.bluez.Adapter1";
        public const string Device = "org.bluez.Device1";
        public const string GattService = "org.bluez.GattService1";
        public const string GattCharacteristic = "org.bluez.GattCharacteristic1";
        public const string AgentManager = "org.bluez.AgentManager1";
        public const string AgentManagerPath = "/org/bluez";
        public const string Agent = "org.bluez.Agent1";

        /// <summary>The bus daemon's own errors when the destination name has no owner.</summary>
        public const string ServiceUnknown = "org.freedesktop.DBus.Error.ServiceUnknown";
        public const string NameHasNoOwner = "org.freedesktop.DBus.Error.NameHasNoOwner";
        public const string AccessDenied = "org.freedesktop.DBus.Error.AccessDenied";
        public const string UnknownObject = "org.freedesktop.DBus.Error.UnknownObject";
        public const string UnknownMethod = "org.freedesktop.DBus.Error.UnknownMethod";

        /// <summary>The org.bluez.Error.* names this transport tells apart.</summary>
        public const string ErrorPrefix = "org.bluez.Error.";
        public const string Failed = ErrorPrefix + "Failed";
        public const string NotConnected = ErrorPrefix + "NotConnected";
        public const string AlreadyConnected = ErrorPrefix + "AlreadyConnected";
        public const string AlreadyExists = ErrorPrefix + "AlreadyExists";
        public const string InProgress = ErrorPrefix + "InProgress";
        public const string NotReady = ErrorPrefix + "NotReady";
        public const string NotPermitted = ErrorPrefix + "NotPermitted";
        public const string NotAuthorized = ErrorPrefix + "NotAuthorized";
        public const string AuthenticationPrefix = ErrorPrefix + "Authentication";
        public const string AuthenticationFailed = ErrorPrefix + "AuthenticationFailed";
        public const string AuthenticationTimeout = ErrorPrefix + "AuthenticationTimeout";
        public const string Rejected = ErrorPrefix + "Rejected";
        public const string Canceled = ErrorPrefix + "Canceled";
        public const string DoesNotExist = ErrorPrefix + "DoesNotExist";
    }
}
