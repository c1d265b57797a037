using System;
using System.Linq;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Link;
using HingeSensor.VirtualDevice.Models;
using Xunit;
using Xunit.Abstractions;
using HingeSensor.TestSupport;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>
    /// No stranger on the device: pairing only inside the wearer's window, with a passkey only the
    /// motor shows, a bond list nobody else can fill or empty, and nothing protected on an unpaired
    /// link. Through the core as the BLE glue drives it, and through the ATT link model.
    /// </summary>
    [StartsEarly(1)]
    public class PairingTests
    {
        private readonly ITestOutputHelper _out;

        public PairingTests(ITestOutputHelper output) { _out = output; }

        private static (VirtualRig Rig, AttLinkModel Link) Device(double seconds = 200, int seed = 11, IRandomSource? random = null)
        {
            var rig = new VirtualRig(Scenarios.Still(seconds), seed, random: random);
            rig.Boot();
            rig.AdvanceTo(1);
            return (rig, new AttLinkModel(() => rig.Core, rig.Bonds));
        }

        /// <summary>The wearer holds the button 4.5 s from now; returns when the window is open.</summary>
        private static void OpenWindow(VirtualRig rig)
        {
            rig.HoldButton(rig.TimeS, 4.5);
            rig.AdvanceTo(rig.TimeS + 4.6);
            Assert.True(rig.Core.Pairing.IsOpen);
        }

        private static void RunTo(VirtualRig rig, AttLinkModel link, double t)
        {
            while (rig.TimeS < t - 1e-9)
            {
                rig.AdvanceTo(Math.Min(t, rig.TimeS + 0.01));
                link.Pump(rig.TimeUs);
            }
        }

        [Fact]
        public void Pairing_requests_outside_a_window_are_all_refused_and_those_links_never_become_secure()
        {
            var (rig, link) = Device();
            var stranger = new Random(3);
            int attempts = 0, accepted = 0;
            // Ten rounds of 500 attempts with guessed passkeys, between which the wearer opens a window
            // and pairs: not one attempt outside a window gets a key, and the wearer's own always does.
            for (int round = 0; round < 10; round++)
            {
                for (int i = 0; i < 500; i++)
                {
                    link.Connect(185, "stranger");
                    attempts++;
                    if (link.Pair(stranger.Next(0, 1_000_000))) accepted++;
                    // Even a stack that claimed success afterwards would not open the gate for this link.
                    rig.Core.OnSecurityChanged(true);
                    var b = new byte[64];
                    Assert.Equal(DeviceCore.ReadNotPermitted, rig.Core.Read(GattCharacteristic.Status, b));
                    link.Disconnect();
                    rig.AdvanceTo(rig.TimeS + 0.01);
                }
                OpenWindow(rig);
                link.Connect(185, "owner");
                Assert.True(link.Pair(rig.Core.Pairing.Passkey));
                link.Disconnect();
                rig.AdvanceTo(rig.TimeS + 2);
            }
            _out.WriteLine($"{attempts} pairing attempts outside a window: {accepted} accepted; {rig.Core.Pairing.RefusedRequests} refused by the core; {rig.Core.Pairing.Pairings} pairings by the wearer");
            Assert.Equal(0, accepted);
            Assert.Equal(attempts, rig.Core.Pairing.RefusedRequests);
            Assert.Equal(10, rig.Core.Pairing.Pairings);
            Assert.DoesNotContain("stranger", rig.Bonds.Hosts);
        }

        [Fact]
        public void A_very_long_press_opens_the_window_which_plays_a_countable_passkey_and_closes_after_60_s()
        {
            var (rig, _) = Device();
            double held = rig.TimeS;
            rig.HoldButton(held, 4.5);
            rig.AdvanceTo(held + 3.9);
            Assert.False(rig.Core.Pairing.IsOpen);
            rig.AdvanceTo(held + 4.1);
            Assert.True(rig.Core.Pairing.IsOpen);
            Assert.Equal(HapticPattern.PairingOpened, rig.Core.Haptics.Playing);
            Assert.False(rig.Core.Recorder.IsRecording); // the hold went past the recording mark without starting one

            int passkey = rig.Core.Pairing.Passkey;
            string digits = passkey.ToString();
            Assert.Equal(6, digits.Length);
            Assert.All(digits, d => Assert.InRange(d, '1', '5'));
            // Read as the wearer counts, at every moment of the first playback: never a wrong passkey, then the right one.
            string? read = null;
            while (rig.TimeS < held + 4 + 30)
            {
                rig.AdvanceTo(rig.TimeS + 0.01);
                read = PasskeyReader.Read(rig.Motor, held + 4);
                Assert.True(read == null || read == digits, $"read {read} at {rig.TimeS:0.00} s of a window playing {digits}");
            }
            Assert.Equal(digits, read);

            rig.AdvanceTo(held + 4 + 59.9);
            Assert.True(rig.Core.Pairing.IsOpen);
            rig.AdvanceTo(held + 4 + 60.1);
            Assert.False(rig.Core.Pairing.IsOpen);
            Assert.Equal(HapticPattern.PairingClosed, rig.Core.Haptics.Playing);
            rig.AdvanceTo(held + 4 + 70);
            Assert.DoesNotContain(rig.Motor.Pulses(), p => p.StartS > held + 4 + 62); // and then the motor is still
        }

        [Fact]
        public void Each_window_draws_a_new_passkey_of_digits_one_to_five()
        {
            // Repeatable draws: with the system's randomness, two of 40 windows share one of the
            // 15,625 passkeys one run in twenty (the birthday bound), and the test would say so.
            var (rig, _) = Device(4000, random: new SeededRandom(4));
            var seen = new System.Collections.Generic.HashSet<int>();
            var digitCounts = new int[6];
            for (int w = 0; w < 40; w++)
            {
                rig.Core.OnButton(ButtonPress.VeryLong);
                int passkey = rig.Core.Pairing.Passkey;
                seen.Add(passkey);
                foreach (char c in passkey.ToString()) digitCounts[c - '0']++;
                rig.AdvanceTo(rig.TimeS + 61);
                Assert.False(rig.Core.Pairing.IsOpen);
            }
            Assert.Equal(40, seen.Count);
            Assert.Equal(0, digitCounts[0]);
            Assert.All(digitCounts.Skip(1), n => Assert.InRange(n, 20, 80)); // 240 digits, 48 expected each
        }

        [Fact]
        public void The_right_passkey_inside_the_window_pairs_bonds_and_opens_the_gate_and_the_bond_reconnects_securely()
        {
            var (rig, link) = Device();
            link.Connect(185, "owner");
            var b = new byte[64];
            Assert.Equal(DeviceCore.ReadNotPermitted, rig.Core.Read(GattCharacteristic.Config, b));
            OpenWindow(rig);
            Assert.True(link.Pair(rig.Core.Pairing.Passkey));
            Assert.True(rig.Core.Read(GattCharacteristic.Config, b) > 0);
            Assert.Equal(new[] { "owner" }, rig.Bonds.Hosts);
            Assert.False(rig.Core.Pairing.IsShowing);
            rig.AdvanceTo(rig.TimeS + 0.02);
            Assert.Equal(HapticPattern.Paired, rig.Core.Haptics.Playing);

            link.Disconnect();
            rig.AdvanceTo(rig.TimeS + 1);
            link.Connect(185, "owner");
            Assert.True(rig.Core.Read(GattCharacteristic.Status, b) > 0);
        }

        [Fact]
        public void A_wrong_passkey_uses_up_the_window_one_guess_per_window()
        {
            var (rig, link) = Device();
            OpenWindow(rig);
            int passkey = rig.Core.Pairing.Passkey;
            link.Connect(185, "stranger");
            Assert.False(link.Pair(passkey == 111111 ? 111112 : 111111));
            link.Disconnect();
            link.Connect(185, "owner");
            Assert.False(link.Pair(passkey)); // too late: that window's one attempt is spent
            Assert.Empty(rig.Bonds.Hosts);
            rig.AdvanceTo(rig.TimeS + 0.02);
            Assert.Equal(HapticPattern.PairingClosed, rig.Core.Haptics.Playing);

            OpenWindow(rig);
            Assert.NotEqual(passkey, rig.Core.Pairing.Passkey);
            Assert.True(link.Pair(rig.Core.Pairing.Passkey));
        }

        [Fact]
        public void An_encryption_the_passkey_had_no_part_in_closes_the_window()
        {
            var (rig, _) = Device();
            OpenWindow(rig);
            rig.Core.OnConnected(185);
            rig.Core.OnSecurityChanged(false); // a Just Works pairing: encrypted, not authenticated
            Assert.False(rig.Core.Pairing.IsOpen);
            Assert.Equal(PairingWindow.Refused, rig.Core.OnPairingRequested());
        }

        [Fact]
        public void With_the_bond_list_full_no_window_opens_and_no_stranger_can_push_the_owner_out()
        {
            var (rig, link) = Device();
            foreach (string host in new[] { "owner", "owner's phone" })
            {
                OpenWindow(rig);
                link.Connect(185, host);
                Assert.True(link.Pair(rig.Core.Pairing.Passkey));
                link.Disconnect();
                rig.AdvanceTo(rig.TimeS + 2);
            }
            rig.HoldButton(rig.TimeS, 4.5);
            rig.AdvanceTo(rig.TimeS + 4.2);
            Assert.False(rig.Core.Pairing.IsOpen);
            Assert.Equal(HapticPattern.BondsFull, rig.Core.Haptics.Playing);

            for (int i = 0; i < 100; i++)
            {
                link.Connect(185, "stranger " + i);
                Assert.False(link.Pair(123456));
                link.Disconnect();
            }
            Assert.Equal(0, rig.Bonds.Evicted);
            Assert.Equal(new[] { "owner", "owner's phone" }, rig.Bonds.Hosts);
        }

        [Fact]
        public void A_full_stack_store_would_lose_the_owner_to_a_strangers_request_which_is_why_the_device_keeps_one_slot_free()
        {
            // The model is NimBLE's: with its three slots taken, any pairing request evicts the oldest bond.
            var (rig, link) = Device();
            foreach (string host in new[] { "owner", "laptop", "phone" }) rig.Bonds.Add(host);
            link.Connect(185, "stranger");
            Assert.False(link.Pair(123456));
            Assert.Equal(1, rig.Bonds.Evicted);
            Assert.DoesNotContain("owner", rig.Bonds.Hosts);
        }

        [Fact]
        public void Clearing_the_bonds_forgets_every_host_and_buzzes_and_marks_old_bonds_as_gone()
        {
            var (rig, link) = Device();
            Assert.True(rig.Core.BondsPredateWindows);
            OpenWindow(rig);
            link.Connect(185, "owner");
            Assert.True(link.Pair(rig.Core.Pairing.Passkey));
            link.Disconnect();
            rig.AdvanceTo(rig.TimeS + 2);

            rig.Core.ClearBonds(rig.TimeUs);
            Assert.Empty(rig.Bonds.Hosts);
            Assert.Equal(HapticPattern.BondsCleared, rig.Core.Haptics.Playing);
            Assert.False(rig.Core.BondsPredateWindows);
            rig.Reboot();
            Assert.False(rig.Core.BondsPredateWindows);
            link.Connect(185, "owner");
            Assert.Equal(DeviceCore.ReadNotPermitted, rig.Core.Read(GattCharacteristic.Config, new byte[64]));
        }

        [Fact]
        public void Nothing_but_the_battery_leaves_on_an_unpaired_link_and_everything_flows_once_paired()
        {
            var rig = new VirtualRig(Scenarios.Workout(), 21);
            rig.Boot();
            var link = new AttLinkModel(() => rig.Core, rig.Bonds);
            var got = new System.Collections.Generic.List<string>();
            link.Notify = (uuid, _) => got.Add(uuid);
            link.Connect(185, "stranger");
            foreach (string uuid in new[] { GattIds.Live, GattIds.Control, GattIds.Config, GattIds.Status, GattIds.SessionData, AttLinkModel.Uuid16(GattIds.BatteryLevel) })
                link.Subscribe(uuid, true);
            rig.Core.OnButton(ButtonPress.Short);               // events the owner would hear: calibration,
            rig.Core.OnButton(ButtonPress.Long);                // recording,
            rig.Core.OnControlWrite(new byte[] { (byte)Opcode.ListSessions, 1, 0, 0 }, 4); // an answer
            RunTo(rig, link, 40);
            Assert.True(rig.Core.Notifications.Withheld > 100, $"{rig.Core.Notifications.Withheld} withheld");
            Assert.All(got, uuid => Assert.True(uuid == AttLinkModel.Uuid16(GattIds.BatteryLevel) || uuid == GattIds.Control, uuid));
            Assert.Single(got, GattIds.Control); // the one InsufficientSecurity answer, which says "pair first"
            Assert.Throws<InsufficientAuthenticationException>(() => link.Read(GattIds.Status));
            Assert.Throws<InsufficientAuthenticationException>(() => link.Read(GattIds.Config));
            Assert.Single(link.Read(AttLinkModel.Uuid16(GattIds.BatteryLevel)));
            Assert.Equal("HS1-VIRTUAL", System.Text.Encoding.ASCII.GetString(link.Read(AttLinkModel.Uuid16(GattIds.SerialNumber))));

            // The wearer opens the window and this host pairs on the same connection: the stream starts.
            OpenWindow(rig);
            Assert.True(link.Pair(rig.Core.Pairing.Passkey));
            got.Clear();
            RunTo(rig, link, rig.TimeS + 3);
            Assert.Contains(GattIds.Live, got);
            Assert.Contains(GattIds.Status, got);
            Assert.NotEmpty(link.Read(GattIds.Status));
        }

        [Fact]
        public void The_button_language_short_long_and_very_long()
        {
            var (rig, _) = Device();
            double t = rig.TimeS;
            rig.HoldButton(t, 0.3);                              // short: calibrate
            rig.AdvanceTo(t + 0.5);
            Assert.NotEqual(Algorithms.Calibration.CalibrationStep.None, rig.Core.Tracker.Capturing);
            rig.AdvanceTo(t + 5);

            t = rig.TimeS;
            rig.HoldButton(t, 2.5);                              // long: a tick at 1.5 s, recording on release
            rig.AdvanceTo(t + 2.4);
            Assert.Contains(rig.Motor.Pulses(), p => p.StartS > t + 1.5 && p.StartS < t + 1.6 && Math.Abs(p.LengthS - 0.06) < 0.011);
            Assert.False(rig.Core.Recorder.IsRecording);
            rig.AdvanceTo(t + 2.6);
            Assert.True(rig.Core.Recorder.IsRecording);

            t = rig.TimeS;
            rig.HoldButton(t, 6);                                // very long: the window, and recording untouched
            rig.AdvanceTo(t + 7);
            Assert.True(rig.Core.Pairing.IsOpen);
            Assert.True(rig.Core.Recorder.IsRecording);
        }

        [Fact]
        public void A_press_held_through_power_on_belongs_to_the_clear_bonds_gesture_not_to_the_loop()
        {
            var rig = new VirtualRig(Scenarios.Still(30), 11) { ButtonDown = true };
            rig.Boot();
            rig.Reboot(); // the gesture is made with the button's level at start
            rig.AdvanceTo(6);
            Assert.False(rig.Core.Pairing.IsOpen);
            Assert.False(rig.Core.Recorder.IsRecording);
            rig.ButtonDown = false;
            rig.AdvanceTo(7);
            Assert.Equal(Algorithms.Calibration.CalibrationStep.None, rig.Core.Tracker.Capturing);
        }

        [Fact]
        public void The_passkey_plays_in_quiet_mode_and_at_zero_intensity()
        {
            var (rig, _) = Device();
            rig.Core.Haptics.Quiet = true;
            rig.Core.Haptics.Intensity = 0;
            double from = rig.TimeS;
            OpenWindow(rig);
            rig.AdvanceTo(from + 30);
            Assert.Equal(rig.Core.Pairing.Passkey.ToString(), PasskeyReader.Read(rig.Motor, from));
            Assert.All(rig.Motor.Changes.Where(c => c.TimeS > from && c.Duty > 0), c => Assert.True(c.Duty >= HapticEngine.AnswerFloor));
        }

        [Fact]
        public void A_coaching_alert_during_the_window_does_not_break_the_passkey()
        {
            var (rig, _) = Device();
            double from = rig.TimeS;
            OpenWindow(rig);
            for (int i = 0; i < 20; i++)
            {
                rig.Core.Haptics.Play(HapticPattern.BackRounding, rig.TimeUs); // queued behind the passkey, cut short when it comes up
                rig.AdvanceTo(rig.TimeS + 1.5);
            }
            Assert.Equal(rig.Core.Pairing.Passkey.ToString(), PasskeyReader.Read(rig.Motor, from));
        }
    }
}
