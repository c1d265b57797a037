using System;
using System.Collections.Generic;
using Tmds.DBus.Protocol;
using InterfaceMap = System.Collections.Generic.Dictionary<string, System.Collections.Generic.Dictionary<string, Tmds.DBus.Protocol.VariantValue>>;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>An adapter (org.bluez.Adapter1): "hci0" at /org/bluez/hci0.</summary>
    internal sealed record AdapterInfo(string Path, string Name, bool Powered);

    /// <summary>A GATT characteristic BlueZ resolved on a device; Mtu is null before BlueZ 5.62.</summary>
    internal sealed record CharacteristicInfo(string Path, string Uuid, int? Mtu);

    /// <summary>
    /// A snapshot of BlueZ's object tree: the reply of ObjectManager.GetManagedObjects
    /// (a{oa{sa{sv}}}: path → interface → property → value). The queries are pure so that they can be
    /// tested without a bus; only <see cref="Read"/> touches the wire format.
    /// </summary>
    internal sealed class ManagedObjects
    {
        private readonly SortedDictionary<string, InterfaceMap> _objects;

        public ManagedObjects(IDictionary<string, InterfaceMap> objects)
        {
            _objects = new SortedDictionary<string, InterfaceMap>(objects, StringComparer.Ordinal);
        }

        public IReadOnlyDictionary<string, InterfaceMap> Objects => _objects;

        /// <summary>Decodes a GetManagedObjects reply.</summary>
        public static ManagedObjects Read(Message reply)
        {
            Reader reader = reply.GetBodyReader();
            var objects = new Dictionary<string, InterfaceMap>(StringComparer.Ordinal);
            ArrayEnd end = reader.ReadDictionaryStart();
            while (reader.HasNext(end))
            {
                string path = reader.ReadObjectPathAsString();
                objects[path] = ReadInterfaces(ref reader);
            }
            return new ManagedObjects(objects);
        }

        /// <summary>a{sa{sv}}: shared with the InterfacesAdded signal, which carries the same shape for one path.</summary>
        public static InterfaceMap ReadInterfaces(ref Reader reader)
        {
            var interfaces = new InterfaceMap(StringComparer.Ordinal);
            ArrayEnd end = reader.ReadDictionaryStart();
            while (reader.HasNext(end))
            {
                string name = reader.ReadString();
                interfaces[name] = reader.ReadDictionaryOfStringToVariantValue();
            }
            return interfaces;
        }

        /// <summary>Adapters in path order (hci0 before hci1), so "the first adapter" is stable.</summary>
        public IReadOnlyList<AdapterInfo> Adapters()
        {
            var adapters = new List<AdapterInfo>();
            foreach (var (path, interfaces) in _objects)
            {
                if (interfaces.TryGetValue(BlueZNames.Adapter, out var props))
                {
                    adapters.Add(new AdapterInfo(path, LastSegment(path), PropertyMap.Bool(props, "Powered") ?? false));
                }
            }
            return adapters;
        }

        /// <summary>
        /// The adapter to use: the named one, else the first powered one, else the first. Throws with what
        /// to do when there is none or it is powered off (BlueZ refuses discovery and connections then).
        /// </summary>
        public AdapterInfo RequireAdapter(string? name = null)
        {
            IReadOnlyList<AdapterInfo> adapters = Adapters();
            if (adapters.Count == 0)
            {
                throw new LinkUnavailableException("no Bluetooth adapter: BlueZ is running but has no controller (is one plugged in, and not blocked? see `rfkill list`)");
            }
            AdapterInfo? chosen = null;
            foreach (AdapterInfo adapter in adapters)
            {
                if (name is not null ? adapter.Name == name : adapter.Powered)
                {
                    chosen = adapter;
                    break;
                }
            }
            if (chosen is null && name is not null)
            {
                var names = new List<string>();
                foreach (AdapterInfo adapter in adapters)
                {
                    names.Add(adapter.Name);
                }
                throw new LinkUnavailableException($"no Bluetooth adapter {name}: BlueZ has {string.Join(", ", names)}");
            }
            chosen ??= adapters[0];
            if (!chosen.Powered)
            {
                throw new LinkUnavailableException($"the Bluetooth adapter {chosen.Name} is powered off — power it on with `bluetoothctl power on`");
            }
            return chosen;
        }

        /// <summary>Device1 objects, all or those of one adapter, with their properties.</summary>
        public IReadOnlyList<KeyValuePair<string, Dictionary<string, VariantValue>>> Devices(string? adapterPath = null)
        {
            var devices = new List<KeyValuePair<string, Dictionary<string, VariantValue>>>();
            foreach (var (path, interfaces) in _objects)
            {
                if (interfaces.TryGetValue(BlueZNames.Device, out var props) && (adapterPath is null || IsBelow(path, adapterPath)))
                {
                    devices.Add(new KeyValuePair<string, Dictionary<string, VariantValue>>(path, props));
                }
            }
            return devices;
        }

        /// <summary>The object path of the device with this Bluetooth address (any case), or null if BlueZ does not know it.</summary>
        public string? FindDevice(string address, string? adapterPath = null)
        {
            foreach (var (path, props) in Devices(adapterPath))
            {
                if (string.Equals(PropertyMap.String(props, "Address"), address, StringComparison.OrdinalIgnoreCase))
                {
                    return path;
                }
            }
            return null;
        }

        /// <summary>
        /// The GATT characteristics below a device, by lower-case UUID. If two services carry the same
        /// characteristic UUID the first in path (= handle) order wins.
        /// </summary>
        public IReadOnlyDictionary<string, CharacteristicInfo> Characteristics(string devicePath)
        {
            var byUuid = new Dictionary<string, CharacteristicInfo>(StringComparer.Ordinal);
            foreach (var (path, interfaces) in _objects)
            {
                if (!IsBelow(path, devicePath) || !interfaces.TryGetValue(BlueZNames.GattCharacteristic, out var props))
                {
                    continue;
                }
                string? uuid = PropertyMap.String(props, "UUID");
                if (uuid is null)
                {
                    continue;
                }
                uuid = uuid.ToLowerInvariant();
                if (!byUuid.ContainsKey(uuid))
                {
                    byUuid[uuid] = new CharacteristicInfo(path, uuid, PropertyMap.Int(props, "MTU"));
                }
            }
            return byUuid;
        }

        /// <summary>"/org/bluez/hci0/dev_X" is below "/org/bluez/hci0"; "/org/bluez/hci01" is not.</summary>
        public static bool IsBelow(string path, string parent) =>
            path.Length > parent.Length + 1 && path.StartsWith(parent, StringComparison.Ordinal) && path[parent.Length] == '/';

        public static string LastSegment(string path) => path.Substring(path.LastIndexOf('/') + 1);
    }
}
