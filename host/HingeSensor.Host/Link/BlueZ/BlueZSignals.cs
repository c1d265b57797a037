using System.Collections.Generic;
using Tmds.DBus.Protocol;
using InterfaceMap = System.Collections.Generic.Dictionary<string, System.Collections.Generic.Dictionary<string, Tmds.DBus.Protocol.VariantValue>>;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>
    /// org.freedesktop.DBus.Properties.PropertiesChanged (sa{sv}as) as received: BlueZ reports device
    /// state (Connected, ServicesResolved, RSSI…) and every notification value ("Value") this way.
    /// </summary>
    internal sealed record PropertiesChange(string Path, string Interface, Dictionary<string, VariantValue> Changed, string[] Invalidated)
    {
        /// <summary>Reads the signal body; runs on the connection's receive loop, so it copies what it keeps.</summary>
        public static PropertiesChange Read(Message message, object? state)
        {
            Reader reader = message.GetBodyReader();
            string @interface = reader.ReadString();
            Dictionary<string, VariantValue> changed = reader.ReadDictionaryOfStringToVariantValue();
            string[] invalidated = reader.ReadArrayOfString();
            return new PropertiesChange(message.PathAsString ?? "", @interface, changed, invalidated);
        }
    }

    /// <summary>ObjectManager.InterfacesAdded (oa{sa{sv}}): how devices found by discovery appear.</summary>
    internal sealed record InterfacesAdded(string Path, InterfaceMap Interfaces)
    {
        public static InterfacesAdded Read(Message message, object? state)
        {
            Reader reader = message.GetBodyReader();
            string path = reader.ReadObjectPathAsString();
            return new InterfacesAdded(path, ManagedObjects.ReadInterfaces(ref reader));
        }
    }
}
