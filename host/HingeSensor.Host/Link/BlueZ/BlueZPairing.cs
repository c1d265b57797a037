using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Tmds.DBus.Protocol;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>How a pairing ended.</summary>
    public enum PairingResult
    {
        /// <summary>Paired and bonded just now; the device is marked trusted.</summary>
        Paired,

        /// <summary>BlueZ already holds a bond with it: nothing done.</summary>
        AlreadyPaired,
    }

    /// <summary>The device did not pair: wrong passkey, or no window open (the message says what to do).</summary>
    public sealed class PairingFailedException : LinkUnavailableException
    {
        public PairingFailedException(string message, Exception? inner = null) : base(message, inner) { }
    }

    /// <summary>
    /// Pairs this computer with a HingeSensor through BlueZ, the way a pairing wizard does
    /// (bluez doc/org.bluez.AgentManager.rst): registers <see cref="PairingAgent"/> on its own
    /// D-Bus connection (and asks to be the default agent, which may be refused: BlueZ uses an
    /// application's own agent for the pairings it starts anyway), calls Device1.Pair, and on
    /// success sets Device1.Trusted. The agent is unregistered whatever happens.
    /// </summary>
    public sealed class BlueZPairing
    {
        private readonly string _busAddress;

        /// <param name="busAddress">The system bus; null = DBUS_SYSTEM_BUS_ADDRESS, else the well-known socket.</param>
        public BlueZPairing(string? busAddress = null)
        {
            _busAddress = SystemBusAddress.Resolve(busAddress);
        }

        /// <summary>Limit for Device1.Pair: connecting, and the device's side of passkey entry.</summary>
        public TimeSpan PairTimeout { get; init; } = TimeSpan.FromSeconds(60);

        public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

        /// <summary>How long to look for a device BlueZ does not know yet.</summary>
        public TimeSpan ScanTime { get; init; } = TimeSpan.FromSeconds(5);

        /// <param name="address">"AA:BB:CC:DD:EE:FF".</param>
        /// <param name="adapterName">"hci0"; null = the first powered adapter.</param>
        /// <param name="passkey">Answers the agent's RequestPasskey.</param>
        /// <exception cref="LinkUnavailableException">BlueZ, the adapter or the device is not there, or the pairing failed (the message says why and what to do).</exception>
        public async Task<PairingResult> PairAsync(string address, string? adapterName, Func<CancellationToken, Task<uint>> passkey, CancellationToken ct)
        {
            using BlueZBus bus = await BlueZBus.ConnectAsync(_busAddress, CallTimeout, ct).ConfigureAwait(false);
            var agent = new PairingAgent(passkey);
            bool registered = false;
            try
            {
                bus.Serve(agent);
                await bus.RegisterAgentAsync(new ObjectPath(PairingAgent.ObjectPath), PairingAgent.Capability, CallTimeout, ct).ConfigureAwait(false);
                registered = true;
                try
                {
                    await bus.CallAsync(BlueZNames.AgentManagerPath, BlueZNames.AgentManager, "RequestDefaultAgent", new ObjectPath(PairingAgent.ObjectPath), CallTimeout, ct).ConfigureAwait(false);
                }
                catch (DBusErrorReplyException)
                {
                    // Not allowed to be the default: our own Pair call still goes through our agent.
                }

                string devicePath = await FindDeviceAsync(bus, address, adapterName, ct).ConfigureAwait(false);
                Dictionary<string, VariantValue> device = await bus.GetAllAsync(devicePath, BlueZNames.Device, CallTimeout, ct).ConfigureAwait(false);
                if (PropertyMap.Bool(device, "Paired") == true) return PairingResult.AlreadyPaired;
                try
                {
                    await bus.CallAsync(devicePath, BlueZNames.Device, "Pair", PairTimeout, ct).ConfigureAwait(false);
                }
                catch (DBusErrorReplyException e) when (e.ErrorName == BlueZNames.AlreadyExists)
                {
                    return PairingResult.AlreadyPaired;
                }
                catch (DBusErrorReplyException e) when (e.ErrorName?.StartsWith(BlueZNames.AuthenticationPrefix, StringComparison.Ordinal) == true)
                {
                    throw new PairingFailedException(
                        $"pairing with {address} failed ({e.ErrorMessage}, {e.ErrorName}): the passkey did not match, or the pairing window had closed — "
                        + $"the device allows one attempt per window: open it again ({PairingAdvice.OpenWindow}) and count the new passkey", e);
                }
                await bus.SetPropertyAsync(devicePath, BlueZNames.Device, "Trusted", VariantValue.Bool(true), CallTimeout, ct).ConfigureAwait(false);
                return PairingResult.Paired;
            }
            catch (Exception e) when (BlueZErrors.IsTransportError(e))
            {
                throw BlueZErrors.ToLinkException(e, $"pairing with {address}", settingUp: true, address);
            }
            finally
            {
                if (registered) await UnregisterAsync(bus).ConfigureAwait(false);
                bus.StopServing(PairingAgent.ObjectPath);
            }
        }

        /// <summary>The device's object; a short discovery first if BlueZ has not seen it yet.</summary>
        private async Task<string> FindDeviceAsync(BlueZBus bus, string address, string? adapterName, CancellationToken ct)
        {
            ManagedObjects objects = await bus.GetManagedObjectsAsync(CallTimeout, ct).ConfigureAwait(false);
            AdapterInfo adapter = objects.RequireAdapter(adapterName);
            string? path = objects.FindDevice(address, adapter.Path);
            if (path != null) return path;
            await new BlueZScanner(bus.Address) { AdapterName = adapter.Name, CallTimeout = CallTimeout }.ScanAsync(ScanTime, ct).ConfigureAwait(false);
            objects = await bus.GetManagedObjectsAsync(CallTimeout, ct).ConfigureAwait(false);
            return objects.FindDevice(address, adapter.Path)
                ?? throw new LinkUnavailableException($"{address} was not found on {adapter.Name}: is the HingeSensor switched on and in range?");
        }

        // Tidying up: a failure here must not hide how the pairing went.
        private async Task UnregisterAsync(BlueZBus bus)
        {
            try
            {
                await bus.CallAsync(BlueZNames.AgentManagerPath, BlueZNames.AgentManager, "UnregisterAgent", new ObjectPath(PairingAgent.ObjectPath), CallTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (BlueZErrors.IsTransportError(e))
            {
            }
        }
    }
}
