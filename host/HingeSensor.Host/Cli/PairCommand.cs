using System;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link;
using HingeSensor.Host.Link.BlueZ;
using HingeSensor.Host.Link.Virtual;
using Spectre.Console;

namespace HingeSensor.Host.Cli
{
    /// <summary>
    /// `hinge pair [--device NAME|ADDRESS|tcp://…] [--passkey DIGITS]`: walks a person through pairing.
    /// The wearer opens the device's pairing window with the button; the device buzzes a passkey
    /// drawn for that window; the user counts it and types it here; this computer pairs with it
    /// (BlueZ: its own agent answers the passkey request, then the device is marked trusted). The
    /// device allows one attempt per window.
    /// </summary>
    internal static class PairCommand
    {
        public static Command Create()
        {
            var device = new Option<string?>("--device") { Description = "Device name or address (BlueZ; default: the one HingeSensor in range), or tcp://127.0.0.1:PORT for a `hinge virtual-device`." };
            var passkey = new Option<string?>("--passkey") { Description = "The six digits the device buzzes, for scripts (default: you are asked)." };
            var cmd = new Command("pair", "Pair this computer with a HingeSensor: open the pairing window on the device, then type the passkey it buzzes.") { device, passkey };
            cmd.SetAction(async (p, ct) =>
            {
                TextWriter error = p.InvocationConfiguration.Error;
                IAnsiConsole console = DeviceOptions.Console(p);
                string? target = p.GetValue(device);
                string? given = p.GetValue(passkey);
                if (given != null && !PasskeyInput.TryParse(given, out _, out string bad))
                {
                    error.WriteLine($"hinge pair: --passkey: {bad}");
                    return 2;
                }
                if (given == null && !console.Profile.Capabilities.Interactive)
                {
                    error.WriteLine("hinge pair: no terminal to type the passkey into: give it with --passkey (e.g. --passkey 314252)");
                    return 2;
                }
                Explain(console);
                int key = given != null ? Parse(given) : AskPasskey(console);
                try
                {
                    bool tcp = target != null && target.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase);
                    return tcp
                        ? await PairLoopbackAsync(target!, key, console, error, ct)
                        : await PairBlueZAsync(target, key, console, ct);
                }
                catch (PairingFailedException e)
                {
                    error.WriteLine($"hinge pair: {e.Message}");
                    return 1;
                }
                catch (Exception e) when (e is LinkUnavailableException || e is LinkLostException || e is TimeoutException || e is IOException)
                {
                    error.WriteLine($"hinge pair: {e.Message}");
                    return 2;
                }
            });
            return cmd;
        }

        private static void Explain(IAnsiConsole console)
        {
            console.WriteLine("Pairing lets this computer read and control the HingeSensor; nothing that is not paired can.");
            console.WriteLine($"1. Open the pairing window on the device: {PairingAdvice.OpenWindow}.");
            console.WriteLine("2. It then buzzes the passkey, again and again for 60 s: one long buzz, then six groups of 1 to 5 short buzzes.");
            console.WriteLine("   Count each group: the six counts are the passkey (e.g. 3 1 4 2 5 2).");
            console.WriteLine("3. Type them here. The device allows one attempt per window: after a mistake, open it again for a new passkey.");
        }

        private static int Parse(string text)
        {
            PasskeyInput.TryParse(text, out int key, out _);
            return key;
        }

        private static int AskPasskey(IAnsiConsole console)
        {
            string typed = console.Prompt(new TextPrompt<string>("Passkey (six counts, 1 to 5):")
                .Validate(t => PasskeyInput.TryParse(t, out _, out string why) ? ValidationResult.Success() : ValidationResult.Error(why)));
            return Parse(typed);
        }

        private static async Task<int> PairBlueZAsync(string? target, int passkey, IAnsiConsole console, CancellationToken ct)
        {
            string address;
            string? adapter = null;
            if (target != null && BlueZLinks.IsAddress(target)) address = target.ToUpperInvariant();
            else
            {
                console.WriteLine(target == null ? "looking for the HingeSensor in range…" : $"looking for '{target}'…");
                var scanner = new BlueZScanner();
                DeviceAdvertisement found = await BlueZLinks.FindAsync(scanner, target, ct);
                address = found.Address;
                adapter = found.Transport.StartsWith("BlueZ ", StringComparison.Ordinal) ? found.Transport["BlueZ ".Length..] : null;
            }
            PairingResult result = await new BlueZPairing().PairAsync(address, adapter, _ => Task.FromResult((uint)passkey), ct);
            console.WriteLine(result == PairingResult.AlreadyPaired
                ? $"{address} is already paired with this computer (to pair again, remove it first: `bluetoothctl remove {address}`)"
                : $"paired with {address}: bonded and trusted; `hinge device status --device {address}` now works");
            return 0;
        }

        private static async Task<int> PairLoopbackAsync(string target, int passkey, IAnsiConsole console, TextWriter error, CancellationToken ct)
        {
            if (!IPEndPoint.TryParse(target["tcp://".Length..], out IPEndPoint? endpoint))
            {
                error.WriteLine($"hinge pair: --device: '{target}' is not an address such as tcp://127.0.0.1:5150");
                return 2;
            }
            await using var link = new LoopbackDeviceLink(endpoint);
            await link.ConnectAsync(ct);
            try
            {
                // Already paired: the config reads. Pairing again would cost the old bond.
                await link.ReadAsync(GattIds.Config, ct);
                console.WriteLine($"the virtual device at {target} is already paired with this computer");
                return 0;
            }
            catch (NotPairedException)
            {
            }
            if (!await link.PairAsync(passkey, ct))
            {
                error.WriteLine($"hinge pair: pairing with the virtual device at {target} failed: {PairingAdvice.PairingFailed}");
                return 1;
            }
            console.WriteLine($"paired with the virtual device at {target}; `hinge device status --device {target}` now works");
            return 0;
        }
    }
}
