using System;
using Tmds.DBus.Protocol;

namespace HingeSensor.Host.Link.BlueZ
{
    /// <summary>
    /// Turns D-Bus failures into the link's two exceptions with messages a person can act on. While a
    /// link is being set up every failure means "can't use the device now" (LinkUnavailableException);
    /// once it is up, most mean the link dropped (LinkLostException). Security refusals are always
    /// NotPairedException: retrying won't help until the device is paired (`hinge pair`).
    /// </summary>
    internal static class BlueZErrors
    {
        public const string NotRunning = "BlueZ (org.bluez) is not running on the system D-Bus — start it with `sudo systemctl start bluetooth`";

        /// <summary>True for what this class translates; anything else is a bug and is left alone.</summary>
        public static bool IsTransportError(Exception e) =>
            e is DBusExceptionBase or TimeoutException or ObjectDisposedException;

        /// <param name="what">What was being done, for people: "connecting to AA:BB:…", "reading 6f4a0004-…".</param>
        /// <param name="settingUp">True while connecting: failures are then "unavailable", not "lost".</param>
        /// <param name="deviceAddress">For the pairing hint, when known.</param>
        public static Exception ToLinkException(Exception e, string what, bool settingUp, string? deviceAddress = null)
        {
            switch (e)
            {
                case DBusErrorReplyException reply:
                    return FromReply(reply, what, settingUp, deviceAddress);
                case DBusConnectionException closed:
                    return Either(settingUp, $"{what}: the D-Bus connection to BlueZ closed ({closed.Message})");
                case TimeoutException timeout:
                    return settingUp
                        ? new LinkUnavailableException($"{what}: {timeout.Message} — is the device switched on and in range?", e)
                        : new LinkLostException($"{what}: {timeout.Message}");
                case ObjectDisposedException:
                    return new LinkLostException($"{what}: the link was closed");
                default:
                    return e;
            }
        }

        private static Exception FromReply(DBusErrorReplyException reply, string what, bool settingUp, string? deviceAddress)
        {
            string name = reply.ErrorName ?? "";
            string detail = string.IsNullOrEmpty(reply.ErrorMessage) ? name : $"{reply.ErrorMessage} ({name})";

            if (name == BlueZNames.ServiceUnknown || name == BlueZNames.NameHasNoOwner)
            {
                return new LinkUnavailableException(NotRunning, reply);
            }
            if (name == BlueZNames.AccessDenied)
            {
                return new LinkUnavailableException(
                    $"{what}: the system D-Bus refused access to BlueZ ({reply.ErrorMessage}) — run as a user allowed to use Bluetooth (e.g. in the 'bluetooth' group)", reply);
            }
            if (name == BlueZNames.NotPermitted || name == BlueZNames.NotAuthorized || name.StartsWith(BlueZNames.AuthenticationPrefix, StringComparison.Ordinal))
            {
                // BlueZ's answer to the ATT errors "insufficient authentication/encryption" (gatt-client.c).
                string device = deviceAddress ?? "the device";
                string command = deviceAddress != null ? $"hinge pair --device {deviceAddress}" : "hinge pair";
                return new NotPairedException($"{what}: {detail} — {PairingAdvice.NotPaired(device, command)}", reply);
            }
            if (name == BlueZNames.NotReady)
            {
                return new LinkUnavailableException($"{what}: the Bluetooth adapter is not ready ({detail}) — power it on with `bluetoothctl power on`", reply);
            }
            if (name == BlueZNames.NotConnected)
            {
                return Either(settingUp, $"{what}: the device is not connected ({detail})");
            }
            if (name == BlueZNames.UnknownObject || name == BlueZNames.UnknownMethod)
            {
                return Either(settingUp, $"{what}: BlueZ no longer has this object — the device disconnected or was removed ({detail})");
            }
            if (name == BlueZNames.InProgress)
            {
                return Either(settingUp, $"{what}: BlueZ is busy with another request for this device ({detail}) — is another program (bluetoothctl, a phone app) using it?");
            }
            return settingUp
                ? new LinkUnavailableException($"{what} failed: {detail} — is the device switched on, in range and not connected to another host?", reply)
                : new LinkLostException($"{what} failed: {detail}");
        }

        private static Exception Either(bool settingUp, string message) =>
            settingUp ? new LinkUnavailableException(message) : new LinkLostException(message);
    }
}
