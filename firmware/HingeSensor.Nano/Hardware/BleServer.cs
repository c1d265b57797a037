using System;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Device;
using nanoFramework.Device.Bluetooth;
using nanoFramework.Device.Bluetooth.GenericAttributeProfile;
using BleBuffer = nanoFramework.Device.Bluetooth.Buffer;
using Characteristic = HingeSensor.Nano.Core.Ble.GattCharacteristic;
using NotificationQueue = HingeSensor.Nano.Core.Ble.NotificationQueue;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// The GATT server: our service (UUIDs in Protocol.GattIds), Device Information and Battery,
    /// passkey pairing, and the link events, all wired to <see cref="DeviceCore"/>. The protocol
    /// itself (what a read returns, what a control write does, what gets notified when, who may
    /// pair) is the core's; this class only moves bytes between it and nanoFramework.Device.Bluetooth.
    ///
    /// Security (docs/protocol.md §4): every characteristic of our service needs an encrypted link
    /// with an authenticated key at the ATT level (NimBLE refuses reads and writes otherwise; it
    /// does not protect CCCD writes, which is why the core withholds every notification from a
    /// link that is not secure). Device Information and Battery are open. Pairing is passkey entry
    /// with this device as the display (DisplayOnly, MITM): the core hands out the passkey of the
    /// wearer's pairing window, or a refusal. Bonding is allowed only while a window shows.
    ///
    /// Threads: the read/write/subscribe/session/pairing handlers run on nanoFramework's event
    /// thread while the NimBLE host task waits (2 s at most) for the read/write answer, so they
    /// call the core and Respond straight away. <see cref="NotifyPump"/> runs on the main loop.
    /// </summary>
    public sealed class BleServer
    {
        /// <summary>Notifications sent per pump (per 10 ms loop pass): ~800/s, more than the link carries.</summary>
        private const int MaxPerPump = 8;

        /// <summary>Pump passes a notification the stack refused (out of buffers) is retried before it is dropped.</summary>
        private const int NotifyRetries = 20;


        private readonly DeviceCore _core;
        private readonly byte[] _readBytes = new byte[128];
        private readonly BleBuffer _readBuffer;
        private readonly byte[] _notifyBytes = new byte[NotificationQueue.MaxPayload];
        private readonly BleBuffer _notifyBuffer;
        private GattLocalCharacteristic? _live;
        private GattLocalCharacteristic? _control;
        private GattLocalCharacteristic? _config;
        private GattLocalCharacteristic? _status;
        private GattLocalCharacteristic? _sessionData;
        private GattLocalCharacteristic? _battery;
        private bool _hasPending;
        private Characteristic _pendingTarget;
        private int _pendingLength;
        private int _pendingTries;
        private bool _bondingAllowed;

        public BleServer(DeviceCore core)
        {
            _core = core;
            _readBuffer = new BleBuffer(_readBytes);
            _notifyBuffer = new BleBuffer(_notifyBytes);
        }

        /// <summary>Notifications dropped after the stack kept refusing them.</summary>
        public int DroppedNotifications;

        /// <summary>Builds the services and starts advertising. False if the stack refused a service.</summary>
        public bool Start()
        {
            BluetoothLEServer server = BluetoothLEServer.Instance;
            // Before the advertising parameters are built: their constructor copies the name.
            server.DeviceName = _core.DeviceName;

            // Passkey entry with the device as the "display" (the motor plays the window's passkey,
            // the host types it). EncryptionAndAuthentication sets NimBLE's sm_sc and sm_mitm:
            // Secure Connections offered, MITM required. Legacy pairing stays possible if a host
            // asks for it: the image's NimBLE has no SC-only switch reachable from here.
            server.Pairing.IOCapabilities = DevicePairingIOCapabilities.DisplayOnly;
            server.Pairing.ProtectionLevel = DevicePairingProtectionLevel.EncryptionAndAuthentication;
            // No bond unless the wearer's window shows (NotifyPump keeps this in step with the core).
            server.Pairing.AllowBonding = false;
            _bondingAllowed = false;
            server.Pairing.PairingRequested += OnPairingRequested;
            server.Pairing.PairingComplete += OnPairingComplete;
            server.Session.SessionStatusChanged += OnSessionStatusChanged;
            server.Session.MaxPduSizeChanged += OnMaxPduSizeChanged;

            // The first Create also adds nanoFramework's default Device Information service.
            GattServiceProviderResult main = GattServiceProvider.Create(new Guid(GattIds.HingeService));
            if (main.Error != BluetoothError.Success) return false;
            GattLocalService hinge = main.ServiceProvider.Service;
            const GattCharacteristicProperties Notify = GattCharacteristicProperties.Notify;
            const GattCharacteristicProperties ReadNotify = GattCharacteristicProperties.Read | GattCharacteristicProperties.Notify;
            const GattProtectionLevel Secure = GattProtectionLevel.EncryptionAndAuthenticationRequired;
            // READ/WRITE_ENC|AUTHEN in NimBLE. For the notify-only ones it guards nothing by itself
            // (NimBLE protects no CCCD): the core sends nothing to a link that is not secure.
            _live = Add(hinge, new Guid(GattIds.Live), Notify, Secure, Secure, "Live");
            _control = Add(hinge, new Guid(GattIds.Control), GattCharacteristicProperties.Write | Notify, Secure, Secure, "Control");
            _config = Add(hinge, new Guid(GattIds.Config), ReadNotify, Secure, Secure, "Config");
            _status = Add(hinge, new Guid(GattIds.Status), ReadNotify, Secure, Secure, "Status");
            _sessionData = Add(hinge, new Guid(GattIds.SessionData), Notify, Secure, Secure, "Session data");
            if (_live == null || _control == null || _config == null || _status == null || _sessionData == null) return false;
            _control.WriteRequested += OnControlWrite;
            _config.ReadRequested += OnRead;
            _status.ReadRequested += OnRead;

            AddDeviceInformation();
            AddBattery();

            main.ServiceProvider.StartAdvertising(new GattServiceProviderAdvertisingParameters
            {
                IsConnectable = true,
                IsDiscoverable = true,
            });
            return true;
        }

        private GattLocalCharacteristic? Add(GattLocalService service, Guid uuid, GattCharacteristicProperties properties,
            GattProtectionLevel read, GattProtectionLevel write, string description)
        {
            GattLocalCharacteristicResult r = service.CreateCharacteristic(uuid, new GattLocalCharacteristicParameters
            {
                CharacteristicProperties = properties,
                ReadProtectionLevel = read,
                WriteProtectionLevel = write,
                UserDescription = description,
            });
            if (r.Error != BluetoothError.Success) return null;
            if ((properties & GattCharacteristicProperties.Notify) != 0) r.Characteristic.SubscribedClientsChanged += OnSubscribedClientsChanged;
            return r.Characteristic;
        }

        // Creating a provider with the Device Information UUID replaces the default one (which
        // says "nanoFramework" and the platform name) in the server's service list.
        private void AddDeviceInformation()
        {
            GattServiceProviderResult r = GattServiceProvider.Create(GattServiceUuids.DeviceInformation);
            if (r.Error != BluetoothError.Success) return;
            GattLocalService dis = r.ServiceProvider.Service;
            AddString(dis, GattIds.ManufacturerName);
            AddString(dis, GattIds.ModelNumber);
            AddString(dis, GattIds.SerialNumber);
            AddString(dis, GattIds.HardwareRevision);
            AddString(dis, GattIds.FirmwareRevision);
        }

        private void AddString(GattLocalService service, ushort uuid)
        {
            var w = new DataWriter();
            w.WriteString(_core.DeviceInformation(uuid));
            service.CreateCharacteristic(Utilities.CreateUuidFromShortCode(uuid), new GattLocalCharacteristicParameters
            {
                CharacteristicProperties = GattCharacteristicProperties.Read,
                StaticValue = w.DetachBuffer(),
            });
        }

        // Battery service 0x180F by hand (the library has no helper): level in percent, read + notify.
        private void AddBattery()
        {
            GattServiceProviderResult r = GattServiceProvider.Create(Utilities.CreateUuidFromShortCode(GattIds.BatteryService));
            if (r.Error != BluetoothError.Success) return;
            _battery = Add(r.ServiceProvider.Service, Utilities.CreateUuidFromShortCode(GattIds.BatteryLevel),
                GattCharacteristicProperties.Read | GattCharacteristicProperties.Notify,
                GattProtectionLevel.Plain, GattProtectionLevel.Plain, "Battery level %");
            if (_battery != null) _battery.ReadRequested += OnRead;
        }

        // --- Handlers (event thread; the stack is waiting for Respond). ---

        private void OnRead(GattLocalCharacteristic sender, GattReadRequestedEventArgs e)
        {
            GattReadRequest request = e.GetRequest();
            int n;
            try
            {
                n = _core.Read(Map(sender), _readBytes);
            }
            catch (Exception)
            {
                n = 0;
            }
            if (n == DeviceCore.ReadNotPermitted)
            {
                request.RespondWithProtocolError(GattProtocolError.InsufficientAuthentication);
                return;
            }
            if (n <= 0)
            {
                request.RespondWithProtocolError(GattProtocolError.UnlikelyError);
                return;
            }
            _readBuffer.Length = (uint)n; // RespondWithValue copies Length bytes
            request.RespondWithValue(_readBuffer);
        }

        private void OnControlWrite(GattLocalCharacteristic sender, GattWriteRequestedEventArgs e)
        {
            GattWriteRequest request = e.GetRequest();
            try
            {
                BleBuffer value = request.Value;
                var bytes = new byte[value.Length];
                DataReader.FromBuffer(value).ReadBytes(bytes);
                // Checks and queues only; the answer comes later as a Control notification.
                _core.OnControlWrite(bytes, bytes.Length);
            }
            catch (Exception)
            {
                // Never leave the host task waiting: answer the ATT write regardless.
            }
            request.Respond(); // writes always arrive as write-with-response
        }

        private void OnSubscribedClientsChanged(GattLocalCharacteristic sender, object args)
        {
            bool on = sender.SubscribedClients.Length > 0; // args is null: count who is left
            _core.OnSubscribe(Map(sender), on);
        }

        private void OnSessionStatusChanged(object sender, GattSessionStatusChangedEventArgs args)
        {
            if (args.Status == GattSessionStatus.Active)
            {
                // The session object outlives connections and still holds the last link's MTU:
                // start from the minimum until this link's exchange arrives (MaxPduSizeChanged).
                _core.OnConnected(GattIds.MinimumMtu);
            }
            else
            {
                _core.OnDisconnected();
            }
        }

        private void OnMaxPduSizeChanged(object sender, EventArgs e)
        {
            _core.OnMtuChanged(BluetoothLEServer.Instance.Session.MaxMtuSize);
        }

        private void OnPairingRequested(object sender, DevicePairingRequestedEventArgs args)
        {
            // DisplayOnly: NimBLE asks us to "display" the passkey, i.e. to supply the one the host
            // will be asked to type: the window's, or PairingWindow.Refused, which ble_sm_inject_io
            // rejects (> 999999) so that no key can come of the request and it times out. Accept
            // also releases NimBLE's host task, which waits up to 2 s for an answer. The yes/no
            // kinds cannot arise with DisplayOnly; the library has no way to say no to them, and
            // left unanswered they time out the same way.
            if (args.PairingKind == DevicePairingKinds.DisplayPin) args.Accept(_core.OnPairingRequested());
        }

        // Raised on every encryption change: after pairing (or its failure) and when a bonded host
        // reconnects and re-encrypts with its stored key. IsAuthenticated = the key was made with
        // the passkey (MITM-protected). The library does not surface the "bonded" bit, nor whether
        // Secure Connections or legacy pairing made the key.
        private void OnPairingComplete(object sender, DevicePairingEventArgs args)
        {
            DevicePairing pairing = BluetoothLEServer.Instance.Pairing;
            _core.OnSecurityChanged(args.Status == DevicePairingResultStatus.Paired && pairing.IsAuthenticated);
        }

        // NimBLE reads its bonding flag when a pairing request arrives: on only while a window shows.
        private void ApplyBondingPolicy()
        {
            bool allow = _core.BondingAllowed;
            if (allow == _bondingAllowed) return;
            BluetoothLEServer.Instance.Pairing.AllowBonding = allow;
            _bondingAllowed = allow;
        }

        // --- Main loop. ---

        /// <summary>
        /// Sends what the core queued, in order, each on its characteristic (the core already sized
        /// every packet to MTU − 3). A notification the stack refuses is kept and retried on the next
        /// passes, so a burst cannot silently lose a download packet.
        /// </summary>
        public void NotifyPump()
        {
            ApplyBondingPolicy();
            if (!_core.Connected)
            {
                _hasPending = false; // the core cleared its queue on disconnect; drop ours too
                return;
            }
            for (int i = 0; i < MaxPerPump; i++)
            {
                if (!_hasPending)
                {
                    if (!_core.Notifications.TryDequeue(_notifyBytes, out _pendingTarget, out _pendingLength)) break;
                    _hasPending = true;
                    _pendingTries = 0;
                }
                if (!Send(For(_pendingTarget), _notifyBuffer, _pendingLength))
                {
                    if (++_pendingTries < NotifyRetries) break; // stack out of buffers: try next pass
                    DroppedNotifications++;
                }
                _hasPending = false;
            }
        }

        private static bool Send(GattLocalCharacteristic? c, BleBuffer buffer, int length)
        {
            if (c == null) return true; // no such characteristic: nothing to retry
            try
            {
                buffer.Length = (uint)length;
                GattClientNotificationResult[] results = c.NotifyValue(buffer); // one per subscribed client
                for (int i = 0; i < results.Length; i++)
                    if (results[i].Status != GattCommunicationStatus.Success) return false;
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private Characteristic Map(GattLocalCharacteristic c)
        {
            if (c == _config) return Characteristic.Config;
            if (c == _status) return Characteristic.Status;
            if (c == _battery) return Characteristic.BatteryLevel;
            if (c == _live) return Characteristic.Live;
            if (c == _control) return Characteristic.Control;
            if (c == _sessionData) return Characteristic.SessionData;
            return Characteristic.None;
        }

        private GattLocalCharacteristic? For(Characteristic c)
        {
            switch (c)
            {
                case Characteristic.Live: return _live;
                case Characteristic.Control: return _control;
                case Characteristic.Config: return _config;
                case Characteristic.Status: return _status;
                case Characteristic.SessionData: return _sessionData;
                case Characteristic.BatteryLevel: return _battery;
                default: return null;
            }
        }
    }
}
