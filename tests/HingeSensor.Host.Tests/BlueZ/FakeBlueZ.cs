using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Link;
using Tmds.DBus.Protocol;
using InterfaceMap = System.Collections.Generic.Dictionary<string, System.Collections.Generic.Dictionary<string, Tmds.DBus.Protocol.VariantValue>>;

namespace HingeSensor.Host.Tests.BlueZ
{
    /// <summary>What the fake BlueZ starts with.</summary>
    public sealed class FakeBlueZOptions
    {
        /// <summary>False: BlueZ runs but has no controller.</summary>
        public bool WithAdapter { get; init; } = true;

        public bool Powered { get; init; } = true;

        /// <summary>False: the HingeSensor is not cached; it appears (InterfacesAdded) once discovery starts.</summary>
        public bool DeviceKnown { get; init; } = true;

        public bool Paired { get; init; } = true;

        /// <summary>The characteristics' MTU property; null = absent, as before BlueZ 5.62.</summary>
        public ushort? Mtu { get; init; } = 247;

        /// <summary>Time between Connect's reply and ServicesResolved, as GATT discovery takes on a real link.</summary>
        public TimeSpan ResolveDelay { get; init; } = TimeSpan.FromMilliseconds(30);
    }

    /// <summary>
    /// A stand-in for bluetoothd on a private bus: owns "org.bluez" and serves the slice of BlueZ's API
    /// the transport uses — ObjectManager at "/", Properties Get/GetAll/Set, Adapter1 at
    /// /org/bluez/hci0, a HingeSensor Device1 (and an unrelated one), and after Connect the HingeSensor's
    /// GATT objects. It behaves the way BlueZ's docs say: state changes are PropertiesChanged signals,
    /// GATT objects come and go with InterfacesAdded/Removed, notifications are "Value" changes, and the
    /// control characteristic answers a request [opcode, id, …] with [0xF0, opcode, id, 0] like the device.
    ///
    /// Pairing as BlueZ and a HingeSensor do it: AgentManager1 at /org/bluez keeps the agents clients
    /// register; Device1.Pair asks the caller's agent (else the default one) for the passkey with
    /// Agent1.RequestPasskey and succeeds only if it is the passkey of the device's open pairing
    /// window (<see cref="WindowPasskey"/>; one attempt per window, none outside one: then the device
    /// lets the pairing time out). A device that is not paired — or that forgot its bond
    /// (<see cref="DeviceForgotBond"/>) — refuses reads and writes of its own characteristics with
    /// org.bluez.Error.NotPermitted "Not paired", BlueZ's translation of the ATT error (gatt-client.c);
    /// StartNotify is let through, as NimBLE does not protect the CCCDs. Device Information stays open.
    /// </summary>
    public sealed class FakeBlueZ : IPathMethodHandler, IDisposable
    {
        public const string AdapterPath = "/org/bluez/hci0";
        public const string DeviceAddress = "AA:BB:CC:DD:EE:FF";
        public const string DevicePath = AdapterPath + "/dev_AA_BB_CC_DD_EE_FF";
        public const string OtherDevicePath = AdapterPath + "/dev_11_22_33_44_55_66";
        public const string ServicePath = DevicePath + "/service0010";
        public const string InfoServicePath = DevicePath + "/service0020";

        private const string Properties = "org.freedesktop.DBus.Properties";
        private const string ObjectManager = "org.freedesktop.DBus.ObjectManager";
        private const string Adapter1 = "org.bluez.Adapter1";
        private const string Device1 = "org.bluez.Device1";
        private const string GattService1 = "org.bluez.GattService1";
        private const string GattCharacteristic1 = "org.bluez.GattCharacteristic1";
        private const string AgentManager1 = "org.bluez.AgentManager1";
        private const string Agent1 = "org.bluez.Agent1";

        /// <summary>The HingeSensor's characteristics (path, UUID, flags) as BlueZ would name them.</summary>
        public static readonly IReadOnlyList<(string Path, string Uuid, string[] Flags)> HingeCharacteristics = new[]
        {
            (ServicePath + "/char0011", GattIds.Live, new[] { "notify" }),
            (ServicePath + "/char0014", GattIds.Control, new[] { "write", "notify" }),
            (ServicePath + "/char0017", GattIds.Config, new[] { "read", "notify" }),
            (ServicePath + "/char001a", GattIds.Status, new[] { "read", "notify" }),
            (ServicePath + "/char001d", GattIds.SessionData, new[] { "notify" }),
        };

        private static readonly (string Path, string Uuid, string[] Flags) FirmwareRevision =
            (InfoServicePath + "/char0021", Uuids.Of(GattIds.FirmwareRevision), new[] { "read" });

        private readonly DBusConnection _connection;
        private readonly FakeBlueZOptions _options;
        private readonly object _gate = new();
        private readonly SortedDictionary<string, InterfaceMap> _objects = new(StringComparer.Ordinal);

        private FakeBlueZ(DBusConnection connection, FakeBlueZOptions options)
        {
            _connection = connection;
            _options = options;
            if (options.WithAdapter)
            {
                _objects[AdapterPath] = new InterfaceMap
                {
                    [Adapter1] = new()
                    {
                        ["Address"] = "00:1A:7D:DA:71:13",
                        ["Name"] = "host",
                        ["Powered"] = options.Powered,
                        ["Discovering"] = false,
                    },
                };
                _objects[OtherDevicePath] = new InterfaceMap
                {
                    [Device1] = new()
                    {
                        ["Address"] = "11:22:33:44:55:66",
                        ["Name"] = "Headphones",
                        ["Alias"] = "Headphones",
                        ["UUIDs"] = VariantValue.Array(new[] { Uuids.Of(0x110B) }),
                        ["RSSI"] = VariantValue.Int16(-40),
                        ["Connected"] = false,
                        ["Paired"] = true,
                        ["Adapter"] = new ObjectPath(AdapterPath),
                    },
                };
                if (options.DeviceKnown)
                {
                    _objects[DevicePath] = new InterfaceMap { [Device1] = HingeDevice(rssi: null) };
                }
            }
        }

        public string Path => "/";

        /// <summary>One handler for the whole tree, like bluetoothd's single object manager.</summary>
        public bool HandlesChildPaths => true;

        /// <summary>Every method call received: "org.bluez.Device1.Connect /org/bluez/hci0/dev_…".</summary>
        public ConcurrentQueue<string> Calls { get; } = new();

        /// <summary>Every WriteValue: characteristic UUID, bytes and the "type" option ("request", "command").</summary>
        public ConcurrentQueue<(string Uuid, byte[] Value, string Type)> Writes { get; } = new();

        /// <summary>What ReadValue returns, by characteristic UUID (empty when absent).</summary>
        public ConcurrentDictionary<string, byte[]> ReadValues { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>One-shot error replies by "interface.member" (e.g. "org.bluez.Device1.Connect").</summary>
        public ConcurrentDictionary<string, (string Name, string Message)> Failures { get; } = new();

        /// <summary>The last SetDiscoveryFilter argument.</summary>
        public Dictionary<string, VariantValue>? DiscoveryFilter { get; private set; }

        /// <summary>The passkey of the device's pairing window, while the wearer has it open; null: closed.</summary>
        public int? WindowPasskey { get; set; }

        /// <summary>The device's bond with this computer is gone (cleared on the device) though BlueZ still holds its half.</summary>
        public bool DeviceForgotBond { get; set; }

        /// <summary>Registered agents: the registering client's unique bus name → (object path, capability).</summary>
        public ConcurrentDictionary<string, (string Path, string Capability)> Agents { get; } = new();

        /// <summary>The client whose agent is the default one.</summary>
        public string? DefaultAgent { get; private set; }

        /// <summary>The passkeys agents answered RequestPasskey with.</summary>
        public ConcurrentQueue<uint> AgentPasskeys { get; } = new();

        public bool IsPaired => DeviceBool("Paired");
        public bool IsTrusted => DeviceBool("Trusted");

        public static async Task<FakeBlueZ> StartAsync(string busAddress, FakeBlueZOptions? options = null)
        {
            var connection = new DBusConnection(busAddress);
            try
            {
                await connection.ConnectAsync();
                var fake = new FakeBlueZ(connection, options ?? new FakeBlueZOptions());
                connection.AddMethodHandler(fake);
                await connection.RequestNameAsync("org.bluez", RequestNameOptions.Default);
                return fake;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public bool IsConnected => DeviceBool("Connected");

        public bool IsNotifying(string uuid)
        {
            lock (_gate)
            {
                return _objects.TryGetValue(CharacteristicPath(uuid), out var ifaces)
                    && ifaces[GattCharacteristic1]["Notifying"].GetBool();
            }
        }

        /// <summary>The device sends a notification: BlueZ updates "Value" and signals it. False if not subscribed.</summary>
        public bool Notify(string uuid, byte[] value)
        {
            lock (_gate)
            {
                string path = CharacteristicPath(uuid);
                if (!_objects.TryGetValue(path, out var ifaces) || !ifaces[GattCharacteristic1]["Notifying"].GetBool())
                {
                    return false;
                }
                Change(path, GattCharacteristic1, new() { ["Value"] = VariantValue.Array(value) });
                return true;
            }
        }

        /// <summary>The device drops the link (out of range, switched off): what BlueZ reports then.</summary>
        public void DropLink()
        {
            lock (_gate)
            {
                TearDownLink();
            }
        }

        public ValueTask HandleMethodAsync(MethodContext context)
        {
            Message request = context.Request;
            string path = request.PathAsString ?? "";
            string @interface = request.InterfaceAsString ?? "";
            string member = request.MemberAsString ?? "";
            Calls.Enqueue($"{@interface}.{member} {path}");
            if (Failures.TryRemove($"{@interface}.{member}", out var failure))
            {
                context.ReplyError(failure.Name, failure.Message);
                return default;
            }
            lock (_gate)
            {
                switch (@interface)
                {
                    case ObjectManager when member == "GetManagedObjects" && path == "/":
                        ReplyManagedObjects(context);
                        break;
                    case Properties:
                        HandleProperties(context, path, member);
                        break;
                    case Adapter1 when path == AdapterPath && _objects.ContainsKey(AdapterPath):
                        HandleAdapter(context, member);
                        break;
                    case Device1 when path == DevicePath && _objects.ContainsKey(DevicePath):
                        HandleDevice(context, member);
                        break;
                    case AgentManager1 when path == "/org/bluez":
                        HandleAgentManager(context, member);
                        break;
                    case GattCharacteristic1 when _objects.TryGetValue(path, out var ifaces) && ifaces.ContainsKey(GattCharacteristic1):
                        HandleCharacteristic(context, path, member);
                        break;
                }
            }
            // Anything not answered gets UnknownMethod when the context is disposed, as with a real service.
            return default;
        }

        private void HandleProperties(MethodContext context, string path, string member)
        {
            Reader reader = context.Request.GetBodyReader();
            string @interface = reader.ReadString();
            if (!_objects.TryGetValue(path, out var ifaces) || !ifaces.TryGetValue(@interface, out var props))
            {
                context.ReplyError("org.freedesktop.DBus.Error.UnknownObject", $"no {@interface} at {path}");
                return;
            }
            switch (member)
            {
                case "GetAll":
                    Reply(context, "a{sv}", (ref MessageWriter w) => w.WriteDictionary(props));
                    break;
                case "Get":
                    string name = reader.ReadString();
                    if (props.TryGetValue(name, out VariantValue value))
                    {
                        Reply(context, "v", (ref MessageWriter w) => w.WriteVariant(value));
                    }
                    else
                    {
                        context.ReplyError("org.freedesktop.DBus.Error.InvalidArgs", $"no property {name}");
                    }
                    break;
                case "Set":
                    string setName = reader.ReadString();
                    VariantValue setValue = reader.ReadVariantValue();
                    Reply(context);
                    Change(path, @interface, new() { [setName] = setValue });
                    break;
            }
        }

        private void HandleAdapter(MethodContext context, string member)
        {
            var adapter = _objects[AdapterPath][Adapter1];
            switch (member)
            {
                case "SetDiscoveryFilter":
                    DiscoveryFilter = context.Request.GetBodyReader().ReadDictionaryOfStringToVariantValue();
                    Reply(context);
                    break;
                case "StartDiscovery":
                    if (!adapter["Powered"].GetBool())
                    {
                        context.ReplyError("org.bluez.Error.NotReady", "Resource Not Ready");
                        return;
                    }
                    Reply(context);
                    Change(AdapterPath, Adapter1, new() { ["Discovering"] = true });
                    // Advertisements heard: a new device appears, a cached one gets a fresh RSSI.
                    if (_objects.ContainsKey(DevicePath))
                    {
                        Change(DevicePath, Device1, new() { ["RSSI"] = VariantValue.Int16(-48) });
                    }
                    else
                    {
                        Add(DevicePath, new InterfaceMap { [Device1] = HingeDevice(rssi: -55) });
                    }
                    break;
                case "StopDiscovery":
                    if (!adapter["Discovering"].GetBool())
                    {
                        context.ReplyError("org.bluez.Error.Failed", "No discovery started");
                        return;
                    }
                    Reply(context);
                    Change(AdapterPath, Adapter1, new() { ["Discovering"] = false });
                    break;
            }
        }

        private void HandleDevice(MethodContext context, string member)
        {
            switch (member)
            {
                case "Connect":
                    if (DeviceBool("Connected"))
                    {
                        context.ReplyError("org.bluez.Error.AlreadyConnected", "Already Connected");
                        return;
                    }
                    Change(DevicePath, Device1, new() { ["Connected"] = true });
                    Reply(context);
                    _ = ResolveServicesLaterAsync();
                    break;
                case "Disconnect":
                    if (!DeviceBool("Connected"))
                    {
                        context.ReplyError("org.bluez.Error.NotConnected", "Not Connected");
                        return;
                    }
                    TearDownLink();
                    Reply(context);
                    break;
                case "Pair":
                    if (DeviceBool("Paired"))
                    {
                        context.ReplyError("org.bluez.Error.AlreadyExists", "Already Exists");
                        return;
                    }
                    string caller = context.Request.SenderAsString ?? "";
                    string? owner = Agents.ContainsKey(caller) ? caller : DefaultAgent;
                    if (owner == null || !Agents.TryGetValue(owner, out var agent))
                    {
                        context.ReplyError("org.bluez.Error.AuthenticationFailed", "No agent available for request");
                        return;
                    }
                    // Answered once the agent has: no other message is read from the bus until this returns.
                    context.DisposesAsynchronously = true;
                    _ = PairAsync(context, owner, agent.Path);
                    break;
            }
        }

        private void HandleAgentManager(MethodContext context, string member)
        {
            string sender = context.Request.SenderAsString ?? "";
            Reader reader = context.Request.GetBodyReader();
            switch (member)
            {
                case "RegisterAgent":
                    string path = reader.ReadObjectPathAsString();
                    string capability = reader.ReadString();
                    if (!Agents.TryAdd(sender, (path, capability)))
                    {
                        context.ReplyError("org.bluez.Error.AlreadyExists", "Already Exists");
                        return;
                    }
                    Reply(context);
                    break;
                case "RequestDefaultAgent":
                    if (!Agents.ContainsKey(sender))
                    {
                        context.ReplyError("org.bluez.Error.DoesNotExist", "Does Not Exist");
                        return;
                    }
                    DefaultAgent = sender;
                    Reply(context);
                    break;
                case "UnregisterAgent":
                    if (!Agents.TryRemove(sender, out _))
                    {
                        context.ReplyError("org.bluez.Error.DoesNotExist", "Does Not Exist");
                        return;
                    }
                    if (DefaultAgent == sender) DefaultAgent = null;
                    Reply(context);
                    break;
            }
        }

        // Passkey entry: BlueZ asks the agent, then the device's side decides.
        private async Task PairAsync(MethodContext context, string agentName, string agentPath)
        {
            try
            {
                uint typed;
                try
                {
                    typed = await _connection.CallMethodAsync(AgentCall(agentName, agentPath, "RequestPasskey"),
                        static (message, _) => message.GetBodyReader().ReadUInt32());
                }
                catch (DBusErrorReplyException e)
                {
                    context.ReplyError(e.ErrorName == "org.bluez.Error.Rejected" ? "org.bluez.Error.AuthenticationRejected" : "org.bluez.Error.AuthenticationCanceled", e.ErrorMessage);
                    return;
                }
                AgentPasskeys.Enqueue(typed);
                lock (_gate)
                {
                    int? shown = WindowPasskey;
                    WindowPasskey = null; // one attempt per window
                    if (shown == null)
                    {
                        context.ReplyError("org.bluez.Error.AuthenticationTimeout", "Authentication Timeout");
                    }
                    else if (shown != (int)typed)
                    {
                        context.ReplyError("org.bluez.Error.AuthenticationFailed", "Authentication Failed");
                    }
                    else
                    {
                        DeviceForgotBond = false;
                        Change(DevicePath, Device1, new() { ["Paired"] = true, ["Bonded"] = true });
                        Reply(context);
                    }
                }
            }
            finally
            {
                context.Dispose();
            }
        }

        private MessageBuffer AgentCall(string destination, string path, string member)
        {
            MessageWriter writer = _connection.GetMessageWriter();
            try
            {
                writer.WriteMethodCallHeader(destination: destination, path: path, @interface: Agent1, member: member, signature: "o");
                writer.WriteObjectPath(DevicePath);
                return writer.CreateMessage();
            }
            finally
            {
                writer.Dispose();
            }
        }

        private void HandleCharacteristic(MethodContext context, string path, string member)
        {
            var props = _objects[path][GattCharacteristic1];
            string uuid = props["UUID"].GetString();
            if (!DeviceBool("Connected"))
            {
                context.ReplyError("org.bluez.Error.NotConnected", "Not Connected");
                return;
            }
            Reader reader = context.Request.GetBodyReader();
            bool hinges = uuid.StartsWith("6f4a", StringComparison.OrdinalIgnoreCase);
            if (hinges && (member == "ReadValue" || member == "WriteValue") && (!DeviceBool("Paired") || DeviceForgotBond))
            {
                context.ReplyError("org.bluez.Error.NotPermitted", "Not paired");
                return;
            }
            switch (member)
            {
                case "ReadValue":
                    byte[] value = ReadValues.TryGetValue(uuid, out byte[]? configured) ? configured : Array.Empty<byte>();
                    Reply(context, "ay", (ref MessageWriter w) => w.WriteArray(value));
                    break;
                case "WriteValue":
                    byte[] written = reader.ReadArrayOfByte();
                    Dictionary<string, VariantValue> options = reader.ReadDictionaryOfStringToVariantValue();
                    string type = options.TryGetValue("type", out VariantValue t) && t.Type == VariantValueType.String ? t.GetString() : "";
                    Writes.Enqueue((uuid, written, type));
                    Reply(context);
                    if (uuid == GattIds.Control && written.Length >= 2 && props["Notifying"].GetBool())
                    {
                        // The device's answer: [Response][opcode][request id][result = Success].
                        Change(path, GattCharacteristic1, new() { ["Value"] = VariantValue.Array(new byte[] { (byte)ControlMessage.Response, written[0], written[1], 0 }) });
                    }
                    break;
                case "StartNotify":
                case "StopNotify":
                    Reply(context);
                    Change(path, GattCharacteristic1, new() { ["Notifying"] = member == "StartNotify" });
                    break;
            }
        }

        private async Task ResolveServicesLaterAsync()
        {
            await Task.Delay(_options.ResolveDelay);
            lock (_gate)
            {
                if (!DeviceBool("Connected") || _objects.ContainsKey(ServicePath))
                {
                    return;
                }
                Add(ServicePath, Service(GattIds.HingeService));
                foreach (var characteristic in HingeCharacteristics)
                {
                    Add(characteristic.Path, Characteristic(characteristic.Uuid, ServicePath, characteristic.Flags));
                }
                Add(InfoServicePath, Service(Uuids.Of(GattIds.DeviceInformationService)));
                Add(FirmwareRevision.Path, Characteristic(FirmwareRevision.Uuid, InfoServicePath, FirmwareRevision.Flags));
                Change(DevicePath, Device1, new() { ["ServicesResolved"] = true });
            }
        }

        /// <summary>Link down: the GATT objects go away, then ServicesResolved and Connected turn false.</summary>
        private void TearDownLink()
        {
            if (!_objects.ContainsKey(DevicePath) || !DeviceBool("Connected"))
            {
                return;
            }
            var gone = new List<string>();
            foreach (string path in _objects.Keys)
            {
                if (path.StartsWith(DevicePath + "/", StringComparison.Ordinal))
                {
                    gone.Add(path);
                }
            }
            foreach (string path in gone)
            {
                Remove(path);
            }
            Change(DevicePath, Device1, new() { ["ServicesResolved"] = false });
            Change(DevicePath, Device1, new() { ["Connected"] = false });
        }

        private Dictionary<string, VariantValue> HingeDevice(short? rssi)
        {
            var props = new Dictionary<string, VariantValue>
            {
                ["Address"] = DeviceAddress,
                ["AddressType"] = "random",
                ["Name"] = "HingeSensor",
                ["Alias"] = "HingeSensor",
                ["UUIDs"] = VariantValue.Array(new[]
                {
                    GattIds.HingeService,
                    Uuids.Of(GattIds.DeviceInformationService),
                    Uuids.Of(GattIds.BatteryService),
                }),
                ["Paired"] = _options.Paired,
                ["Bonded"] = _options.Paired,
                ["Trusted"] = _options.Paired,
                ["Connected"] = false,
                ["ServicesResolved"] = false,
                ["Adapter"] = new ObjectPath(AdapterPath),
            };
            if (rssi is short value)
            {
                props["RSSI"] = VariantValue.Int16(value);
            }
            return props;
        }

        private static InterfaceMap Service(string uuid) => new()
        {
            [GattService1] = new()
            {
                ["UUID"] = uuid,
                ["Primary"] = true,
                ["Device"] = new ObjectPath(DevicePath),
            },
        };

        private InterfaceMap Characteristic(string uuid, string servicePath, string[] flags)
        {
            var props = new Dictionary<string, VariantValue>
            {
                ["UUID"] = uuid,
                ["Service"] = new ObjectPath(servicePath),
                ["Flags"] = VariantValue.Array(flags),
                ["Notifying"] = false,
                ["Value"] = VariantValue.Array(Array.Empty<byte>()),
            };
            if (_options.Mtu is ushort mtu)
            {
                props["MTU"] = VariantValue.UInt16(mtu);
            }
            return new InterfaceMap { [GattCharacteristic1] = props };
        }

        private bool DeviceBool(string name)
        {
            lock (_gate)
            {
                return _objects.TryGetValue(DevicePath, out var ifaces) && ifaces[Device1][name].GetBool();
            }
        }

        private static string CharacteristicPath(string uuid)
        {
            foreach (var characteristic in HingeCharacteristics)
            {
                if (string.Equals(characteristic.Uuid, uuid, StringComparison.OrdinalIgnoreCase))
                {
                    return characteristic.Path;
                }
            }
            throw new ArgumentException($"the fake has no characteristic {uuid}");
        }

        // ---- the wire: replies and signals ----

        private delegate void BodyWriter(ref MessageWriter writer);

        private static void Reply(MethodContext context, string? signature = null, BodyWriter? body = null)
        {
            MessageWriter writer = context.CreateReplyWriter(signature);
            try
            {
                body?.Invoke(ref writer);
                context.Reply(writer.CreateMessage());
            }
            finally
            {
                writer.Dispose();
            }
        }

        private void ReplyManagedObjects(MethodContext context) =>
            Reply(context, "a{oa{sa{sv}}}", (ref MessageWriter w) =>
            {
                ArrayStart objects = w.WriteDictionaryStart();
                foreach (var (path, interfaces) in _objects)
                {
                    w.WriteDictionaryEntryStart();
                    w.WriteObjectPath(path);
                    WriteInterfaces(ref w, interfaces);
                }
                w.WriteDictionaryEnd(objects);
            });

        private static void WriteInterfaces(ref MessageWriter w, InterfaceMap interfaces)
        {
            ArrayStart start = w.WriteDictionaryStart();
            foreach (var (name, props) in interfaces)
            {
                w.WriteDictionaryEntryStart();
                w.WriteString(name);
                w.WriteDictionary(props);
            }
            w.WriteDictionaryEnd(start);
        }

        /// <summary>Updates properties and emits PropertiesChanged for them (callers hold the gate, so signals keep state order).</summary>
        private void Change(string path, string @interface, Dictionary<string, VariantValue> changed)
        {
            var props = _objects[path][@interface];
            foreach (var (name, value) in changed)
            {
                props[name] = value;
            }
            Emit(path, Properties, "PropertiesChanged", "sa{sv}as", (ref MessageWriter w) =>
            {
                w.WriteString(@interface);
                w.WriteDictionary(changed);
                w.WriteArray(Array.Empty<string>());
            });
        }

        private void Add(string path, InterfaceMap interfaces)
        {
            _objects[path] = interfaces;
            Emit("/", ObjectManager, "InterfacesAdded", "oa{sa{sv}}", (ref MessageWriter w) =>
            {
                w.WriteObjectPath(path);
                WriteInterfaces(ref w, interfaces);
            });
        }

        private void Remove(string path)
        {
            var names = new List<string>(_objects[path].Keys);
            _objects.Remove(path);
            Emit("/", ObjectManager, "InterfacesRemoved", "oas", (ref MessageWriter w) =>
            {
                w.WriteObjectPath(path);
                w.WriteArray(names.ToArray());
            });
        }

        private void Emit(string path, string @interface, string member, string signature, BodyWriter body)
        {
            MessageWriter writer = _connection.GetMessageWriter();
            try
            {
                writer.WriteSignalHeader(path: path, @interface: @interface, member: member, signature: signature);
                body(ref writer);
                _connection.TrySendMessage(writer.CreateMessage());
            }
            finally
            {
                writer.Dispose();
            }
        }

        public void Dispose() => _connection.Dispose();
    }
}
