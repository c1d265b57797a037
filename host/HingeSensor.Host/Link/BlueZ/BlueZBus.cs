using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Tmds.DBus.Protocol;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>
    /// One D-Bus connection to BlueZ and the handful of calls this transport makes over it, written
    /// out by hand with Tmds.DBus.Protocol's writer and reader (no generated proxies: the surface is
    /// small and this keeps every wire type visible). D-Bus errors come out raw; callers translate
    /// them with <see cref="BlueZErrors"/> because only they know what was being attempted.
    /// </summary>
    internal sealed class BlueZBus : IDisposable
    {
        /// <summary>Writes a method call's arguments; by ref because MessageWriter is a mutable ref struct.</summary>
        public delegate void BodyWriter(ref MessageWriter writer);

        private readonly DBusConnection _connection;

        private BlueZBus(DBusConnection connection, string address)
        {
            _connection = connection;
            Address = address;
        }

        public string Address { get; }

        /// <summary>Completes when the D-Bus connection closes (bus daemon gone, or disposed).</summary>
        public Task<Exception?> Closed => _connection.DisconnectedAsync();

        /// <summary>Connects to the bus. A missing socket or a refused connection become LinkUnavailableException.</summary>
        public static async Task<BlueZBus> ConnectAsync(string address, TimeSpan timeout, CancellationToken ct)
        {
            string? socket = SystemBusAddress.SocketPath(address);
            if (socket is not null && !File.Exists(socket))
            {
                throw new LinkUnavailableException($"BlueZ is not reachable: no system D-Bus at {socket} — is the bluetooth service running?");
            }
            var connection = new DBusConnection(address);
            try
            {
                await connection.ConnectAsync().AsTask().WaitAsync(timeout, ct).ConfigureAwait(false);
                return new BlueZBus(connection, address);
            }
            catch (Exception e) when (e is DBusExceptionBase or TimeoutException)
            {
                connection.Dispose();
                throw new LinkUnavailableException(
                    $"BlueZ is not reachable: no system D-Bus at {socket ?? address} ({e.Message}) — is the bluetooth service running?", e);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public async Task<ManagedObjects> GetManagedObjectsAsync(TimeSpan timeout, CancellationToken ct) =>
            await CallAsync(BlueZNames.RootPath, BlueZNames.ObjectManager, "GetManagedObjects", null, null,
                static (message, _) => ManagedObjects.Read(message), timeout, ct).ConfigureAwait(false);

        /// <summary>A method without arguments or results: Connect, Pair, StartDiscovery, StartNotify…</summary>
        public Task CallAsync(string path, string @interface, string member, TimeSpan timeout, CancellationToken ct) =>
            CallAsync<bool>(path, @interface, member, null, null, static (_, _) => true, timeout, ct);

        /// <summary>A method taking one a{sv} (SetDiscoveryFilter).</summary>
        public Task CallAsync(string path, string @interface, string member, Dictionary<string, VariantValue> options, TimeSpan timeout, CancellationToken ct) =>
            CallAsync<bool>(path, @interface, member, "a{sv}", (ref MessageWriter w) => w.WriteDictionary(options), static (_, _) => true, timeout, ct);

        /// <summary>GattCharacteristic1.ReadValue(a{sv} options) → ay, with no options (offset 0).</summary>
        public Task<byte[]> ReadValueAsync(string path, TimeSpan timeout, CancellationToken ct) =>
            CallAsync(path, BlueZNames.GattCharacteristic, "ReadValue", "a{sv}",
                static (ref MessageWriter w) => w.WriteDictionary(new Dictionary<string, VariantValue>()),
                static (message, _) => message.GetBodyReader().ReadArrayOfByte(), timeout, ct);

        /// <summary>GattCharacteristic1.WriteValue(ay value, a{sv} {"type": "request"|"command"}).</summary>
        public Task WriteValueAsync(string path, ReadOnlyMemory<byte> value, string type, TimeSpan timeout, CancellationToken ct) =>
            CallAsync<bool>(path, BlueZNames.GattCharacteristic, "WriteValue", "aya{sv}",
                (ref MessageWriter w) =>
                {
                    w.WriteArray(value.Span);
                    w.WriteDictionary(new Dictionary<string, VariantValue> { ["type"] = type });
                },
                static (_, _) => true, timeout, ct);

        /// <summary>A method taking one object path (AgentManager1.RequestDefaultAgent, UnregisterAgent).</summary>
        public Task CallAsync(string path, string @interface, string member, ObjectPath argument, TimeSpan timeout, CancellationToken ct) =>
            CallAsync<bool>(path, @interface, member, "o", (ref MessageWriter w) => w.WriteObjectPath(argument), static (_, _) => true, timeout, ct);

        /// <summary>AgentManager1.RegisterAgent(o agent, s capability).</summary>
        public Task RegisterAgentAsync(ObjectPath agent, string capability, TimeSpan timeout, CancellationToken ct) =>
            CallAsync<bool>(BlueZNames.AgentManagerPath, BlueZNames.AgentManager, "RegisterAgent", "os",
                (ref MessageWriter w) =>
                {
                    w.WriteObjectPath(agent);
                    w.WriteString(capability);
                },
                static (_, _) => true, timeout, ct);

        /// <summary>Properties.Set(interface, name, value) (Device1.Trusted).</summary>
        public Task SetPropertyAsync(string path, string @interface, string name, VariantValue value, TimeSpan timeout, CancellationToken ct) =>
            CallAsync<bool>(path, BlueZNames.Properties, "Set", "ssv",
                (ref MessageWriter w) =>
                {
                    w.WriteString(@interface);
                    w.WriteString(name);
                    w.WriteVariant(value);
                },
                static (_, _) => true, timeout, ct);

        /// <summary>Serves an object of ours (the pairing agent) on this connection, for BlueZ to call.</summary>
        public void Serve(IPathMethodHandler handler) => _connection.AddMethodHandler(handler);

        /// <summary>Stops serving it.</summary>
        public void StopServing(string path) => _connection.RemoveMethodHandler(path);

        /// <summary>Properties.GetAll(interface) → a{sv}.</summary>
        public Task<Dictionary<string, VariantValue>> GetAllAsync(string path, string @interface, TimeSpan timeout, CancellationToken ct) =>
            CallAsync(path, BlueZNames.Properties, "GetAll", "s",
                (ref MessageWriter w) => w.WriteString(@interface),
                static (message, _) => message.GetBodyReader().ReadDictionaryOfStringToVariantValue(), timeout, ct);

        /// <summary>
        /// Subscribes to PropertiesChanged from BlueZ for one interface, on one path or (pathNamespace)
        /// on a path and everything below it. The handler runs on the connection's receive loop, one
        /// signal at a time in the order BlueZ sent them — that is what keeps notifications in order.
        /// </summary>
        public async Task<IDisposable> WatchPropertiesAsync(string path, bool pathNamespace, string @interface, Action<PropertiesChange> handler)
        {
            var rule = new MatchRule
            {
                Type = MessageType.Signal,
                Sender = BlueZNames.Service,
                Interface = BlueZNames.Properties,
                Member = "PropertiesChanged",
                Arg0 = @interface,
            };
            if (pathNamespace)
            {
                rule.PathNamespace = path;
            }
            else
            {
                rule.Path = path;
            }
            return await _connection.AddMatchAsync(rule, PropertiesChange.Read,
                (Notification<PropertiesChange> n) =>
                {
                    if (n.HasValue)
                    {
                        handler(n.Value);
                    }
                },
                emitOnCapturedContext: false).ConfigureAwait(false);
        }

        /// <summary>ObjectManager.InterfacesAdded from BlueZ: objects (devices found by discovery) appearing.</summary>
        public async Task<IDisposable> WatchInterfacesAddedAsync(Action<InterfacesAdded> handler)
        {
            var rule = new MatchRule
            {
                Type = MessageType.Signal,
                Sender = BlueZNames.Service,
                Path = BlueZNames.RootPath,
                Interface = BlueZNames.ObjectManager,
                Member = "InterfacesAdded",
            };
            return await _connection.AddMatchAsync(rule, InterfacesAdded.Read,
                (Notification<InterfacesAdded> n) =>
                {
                    if (n.HasValue)
                    {
                        handler(n.Value);
                    }
                },
                emitOnCapturedContext: false).ConfigureAwait(false);
        }

        private async Task<T> CallAsync<T>(string path, string @interface, string member, string? signature, BodyWriter? body,
            MessageValueReader<T> readReply, TimeSpan timeout, CancellationToken ct)
        {
            MessageBuffer message = CreateCall(path, @interface, member, signature, body);
            try
            {
                return await _connection.CallMethodAsync(message, readReply).WaitAsync(timeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no answer from BlueZ to {member} within {timeout.TotalSeconds:0.#} s");
            }
        }

        private MessageBuffer CreateCall(string path, string @interface, string member, string? signature, BodyWriter? body)
        {
            // Not a using declaration: the body writer needs the writer by ref.
            MessageWriter writer = _connection.GetMessageWriter();
            try
            {
                writer.WriteMethodCallHeader(destination: BlueZNames.Service, path: path, @interface: @interface, member: member, signature: signature);
                body?.Invoke(ref writer);
                return writer.CreateMessage();
            }
            finally
            {
                writer.Dispose();
            }
        }

        public void Dispose() => _connection.Dispose();
    }
}
