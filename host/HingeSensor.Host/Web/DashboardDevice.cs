using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link;

namespace HingeSensor.Host.Web
{
    /// <summary>Where the dashboard's device is: being looked for, connected, never found, gone, or lent to the web app.</summary>
    public enum DeviceLinkState { Connecting, Connected, Absent, Lost, Lent }

    /// <summary>What a button press came to: whether it worked, a sentence, and the HTTP status that goes with it.</summary>
    public sealed record ActionReply(bool Ok, string Message, int HttpStatus = 200, int? SessionId = null);

    /// <summary>
    /// The dashboard's one device connection: opened in the background when the server starts (a
    /// Bluetooth search takes seconds, and the pages must work without any device), its state
    /// published to the live pages, the buttons' actions run on it one at a time, and brought back
    /// by itself after the link drops (<see cref="LinkKeeper"/>) for as long as the server runs.
    /// </summary>
    public sealed class DashboardDevice : IAsyncDisposable
    {
        private readonly Func<CancellationToken, Task<DeviceConnection>>? _open;
        private readonly LiveHub _hub;
        private readonly bool _autoCalibrate;
        private readonly SemaphoreSlim _busy = new(1, 1);
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource<DeviceConnection> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly object _lock = new();
        private DeviceStatus? _status;
        private int _heightCm = (int)Algorithms.Posture.BodyDimensions.DefaultHeightCm;
        private string? _busyWith;
        private Task? _connecting;
        private LinkKeeper? _keeper;
        private string _lostReason = "";

        /// <param name="open">Opens the device; null runs the dashboard without one (<paramref name="absentReason"/> says why).</param>
        /// <param name="isVirtual">The device is `--virtual`'s, in this process: the web app may borrow it (<see cref="LendAsync"/>).</param>
        public DashboardDevice(Func<CancellationToken, Task<DeviceConnection>>? open, string description, string absentReason, LiveHub hub, bool autoCalibrate = false, bool isVirtual = false)
        {
            Virtual = isVirtual;
            _open = open;
            _hub = hub;
            _autoCalibrate = autoCalibrate;
            Description = description;
            State = open == null ? DeviceLinkState.Absent : DeviceLinkState.Connecting;
            Reason = open == null ? absentReason : $"connecting to {description} …";
            Publish();
        }

        public DeviceLinkState State { get; private set; }

        /// <summary>Why there is no usable device (or what is happening), for the page.</summary>
        public string Reason { get; private set; }

        public string Description { get; }

        /// <summary>Whether the device is the in-process virtual one, which the web app may borrow.</summary>
        public bool Virtual { get; }

        public DeviceConnection? Connection { get; private set; }

        /// <summary>Starts connecting in the background.</summary>
        public void Start()
        {
            if (_open != null) _connecting = Task.Run(ConnectAsync);
            else _connected.TrySetException(new LinkUnavailableException(Reason));
        }

        /// <summary>The connection, once there is one (tests); a timeout says why there is none.</summary>
        public async Task<DeviceConnection> WaitConnectedAsync(TimeSpan timeout)
        {
            try
            {
                return await _connected.Task.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no device within {timeout.TotalSeconds:0} s: {Reason}");
            }
        }

        // Until a device is found: the wearer may switch it on, or walk into range, after the
        // server started. A failed attempt shows why, and the next follows after the backoff.
        private async Task ConnectAsync()
        {
            CancellationToken ct = _stop.Token;
            var backoff = new ReconnectBackoff();
            while (!await ConnectOnceAsync(ct))
            {
                try
                {
                    await Task.Delay(backoff.Next(), ct);
                }
                catch (OperationCanceledException)
                {
                    _connected.TrySetCanceled(ct);
                    return;
                }
            }
        }

        /// <summary>One attempt to find and open the device; false when it failed (the state says why).</summary>
        private async Task<bool> ConnectOnceAsync(CancellationToken ct)
        {
            DeviceConnection c;
            try
            {
                c = await _open!(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                _connected.TrySetCanceled(ct);
                return true;
            }
            catch (HingeSensor.Simulation.Scenarios.ScenarioException e)
            {
                // The virtual wearer's script is wrong: asking again will not mend it.
                Set(DeviceLinkState.Absent, $"no device connected: {e.Message}");
                _connected.TrySetException(e);
                return true;
            }
            catch (Exception e) when (IsDeviceTrouble(e))
            {
                Set(DeviceLinkState.Absent, $"no device connected: {e.Message} (looking again)");
                return false;
            }
            // Handlers go on the client once: it is the same client, on the same link object, after every reconnection.
            c.Client.StatusReceived += OnStatus;
            // Watching from the start, so that a drop while the status is read is not missed.
            var keeper = new LinkKeeper(c) { Resume = t => ReadStateAsync(c, t) };
            keeper.Lost += OnLinkLost;
            keeper.AttemptFailed += OnReconnectFailed;
            keeper.Reconnected += () => OnReconnected(c);
            keeper.Start();
            try
            {
                await ReadStateAsync(c, ct);
            }
            catch (Exception e) when (IsDeviceTrouble(e) || e is OperationCanceledException)
            {
                // Never connected as far as the pages know: no device, as before a first connection.
                await keeper.DisposeAsync();
                c.Client.StatusReceived -= OnStatus;
                await c.DisposeAsync();
                if (ct.IsCancellationRequested)
                {
                    _connected.TrySetCanceled(ct);
                    return true;
                }
                Set(DeviceLinkState.Absent, $"no device connected: {e.Message} (looking again)");
                return false;
            }
            bool online;
            lock (_lock)
            {
                _keeper = keeper;
                Connection = c;
                // Still Connecting (or Absent, from an earlier attempt) unless the link dropped after the
                // reads: then it stays Lost and the keeper brings it back.
                online = State == DeviceLinkState.Connecting || State == DeviceLinkState.Absent;
                if (online) GoOnlineLocked(c);
            }
            if (!online) return true;
            _connected.TrySetResult(c);
            try
            {
                if (_autoCalibrate && c.Virtual != null) await AutoCalibrateAsync(c, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            return true;
        }

        // What the page needs besides the stream, read on connecting and again on every reconnection
        // (a device that rebooted may report another calibration, recording state or height).
        private async Task ReadStateAsync(DeviceConnection c, CancellationToken ct)
        {
            _status = await c.Client.ReadStatusAsync(ct);
            // The figure's segment lengths scale with the wearer's height, as the device's dowel gap does.
            _heightCm = (await c.Client.ReadConfigAsync(ct)).HeightCm;
        }

        private static Func<string?>? WearerActivity(DeviceConnection c) =>
            c.Virtual == null ? null : () => VirtualWearer.Activity(c.Virtual);

        private async Task AutoCalibrateAsync(DeviceConnection c, CancellationToken ct)
        {
            await _busy.WaitAsync(ct);
            try
            {
                SetBusy("calibrating the virtual wearer at the scripted moments");
                foreach (CalibrationResult r in await VirtualWearer.AutoCalibrateAsync(c.Virtual!, c.Client, ct))
                    _hub.PublishLog(r.Message, r.Ok ? "ok" : "error");
            }
            catch (Exception e) when (IsDeviceTrouble(e))
            {
                _hub.PublishLog("automatic calibration failed: " + e.Message, "error");
            }
            finally
            {
                SetBusy(null);
                _busy.Release();
            }
        }

        private static bool IsDeviceTrouble(Exception e) =>
            e is LinkUnavailableException || e is LinkLostException || e is DeviceRequestException || e is TimeoutException
            || e is IOException || e is InvalidOperationException || e is HingeSensor.Simulation.Scenarios.ScenarioException;

        // The device notifies its status as soon as it changes (recording started, calibration
        // done): the buttons follow these. (Reading the characteristic instead would return the
        // device's once-a-second snapshot, which may predate the change.)
        private void OnStatus(DeviceStatus s)
        {
            _status = s;
            Publish();
        }

        // On the link's thread. The buttons refuse from here on (State is no longer Connected).
        private void OnLinkLost(string reason)
        {
            lock (_lock)
            {
                _hub.Detach();
                _lostReason = reason;
                State = DeviceLinkState.Lost;
                Reason = $"link lost: {reason} — reconnecting …";
                PublishLocked();
            }
            _hub.PublishLog($"link lost: {reason} — reconnecting", "error");
        }

        // Said in the state line only: a device that stays away would otherwise fill the log every 5 s.
        private void OnReconnectFailed(int attempt, Exception e, TimeSpan wait)
        {
            string lost;
            lock (_lock) lost = _lostReason;
            Set(DeviceLinkState.Lost, $"link lost: {lost} — reconnecting (attempt {attempt}: {e.Message}; next in {wait.TotalSeconds:0.#} s) …");
        }

        private void OnReconnected(DeviceConnection c)
        {
            lock (_lock) GoOnlineLocked(c);
            _hub.PublishLog("reconnected", "ok");
            _connected.TrySetResult(c);
        }

        // The stream to the pages and the buttons, together: whoever sees Connected gets frames.
        // (Attach replaces what was attached: never twice on one client.)
        private void GoOnlineLocked(DeviceConnection c)
        {
            _hub.Attach(c.Client, WearerActivity(c));
            State = DeviceLinkState.Connected;
            Reason = "";
            PublishLocked();
        }

        private void Set(DeviceLinkState state, string reason)
        {
            lock (_lock)
            {
                State = state;
                Reason = reason;
                PublishLocked();
            }
        }

        private void SetBusy(string? what)
        {
            lock (_lock)
            {
                _busyWith = what;
                PublishLocked();
            }
        }

        /// <summary>
        /// Hands the virtual device's link to another host (the web app over /api/att): a device
        /// serves one host at a time, so the dashboard lets go of it — its buttons refuse and its
        /// live page says who has the device — until the loan is disposed, when it connects again
        /// by itself. Null, with the reason (short: it travels as a WebSocket close reason, at most
        /// 123 bytes), when it cannot: no virtual device, no connection yet, a button's action under
        /// way, or the device already lent.
        /// </summary>
        public async Task<(DeviceLoan? Loan, string Refusal)> LendAsync(string borrower)
        {
            DeviceConnection? c;
            lock (_lock)
            {
                c = Connection;
                if (State == DeviceLinkState.Lent) return (null, "the device is already lent (another tab of the app?): a device serves one host at a time");
                if (c == null || State != DeviceLinkState.Connected) return (null, State == DeviceLinkState.Absent ? "the dashboard has no device (start it with --virtual)" : "the dashboard is still connecting to its device: try again in a moment");
                if (c.Virtual == null)
                    return (null, "the dashboard's device is a real HingeSensor: connect to it over Bluetooth");
            }
            if (!await _busy.WaitAsync(0)) return (null, "the dashboard is busy with its device (a button's action): try again when it is done");
            lock (_lock)
            {
                // The link may have dropped while the last action finished: then it is the keeper's to bring back, not ours to lend.
                if (State != DeviceLinkState.Connected)
                {
                    _busy.Release();
                    return (null, "the dashboard is reconnecting to its device: try again in a moment");
                }
                _hub.Detach();
                State = DeviceLinkState.Lent;
                Reason = $"{borrower} has the device (a device serves one host at a time): the dashboard takes it back when that lets go";
                PublishLocked();
            }
            _hub.PublishLog($"the device went to {borrower}", "info");
            try
            {
                await c.Client.Link.DisconnectAsync();
            }
            catch (Exception e) when (IsDeviceTrouble(e)) { }
            return (new DeviceLoan(this, c, c.Virtual), "");
        }

        // The borrower let go: connect again as after a lost link, until it works or the server stops.
        internal async Task TakeBackAsync(DeviceConnection c)
        {
            CancellationToken ct = _stop.Token;
            var backoff = new ReconnectBackoff();
            try
            {
                while (true)
                {
                    try
                    {
                        await c.ReconnectAsync(ct);
                        await ReadStateAsync(c, ct);
                        lock (_lock) GoOnlineLocked(c);
                        _hub.PublishLog("the device is back with the dashboard", "ok");
                        return;
                    }
                    catch (Exception e) when (IsDeviceTrouble(e))
                    {
                        Set(DeviceLinkState.Lost, $"taking the device back: {e.Message} — trying again …");
                        await Task.Delay(backoff.Next(), ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            finally
            {
                _busy.Release();
            }
        }

        public Task<ActionReply> CalibrateAsync(CalibrationStep step, CancellationToken ct) =>
            RunAsync($"calibrating: {DeviceActions.StepName(step)} — {DeviceActions.Instruction(step)}", async (c, t) =>
            {
                CalibrationResult r = await DeviceActions.CalibrateAsync(c.Client, step, t);
                return new ActionReply(r.Ok, r.Message, r.Ok ? 200 : 409);
            }, ct);

        public Task<ActionReply> StartRecordingAsync(CancellationToken ct) => RunAsync("starting a recording", async (c, t) =>
        {
            RecordingResult r = await DeviceActions.StartRecordingAsync(c.Client, t);
            return new ActionReply(r.Ok, r.Message, r.Ok ? 200 : 409, r.SessionId);
        }, ct);

        public Task<ActionReply> StopRecordingAsync(CancellationToken ct) => RunAsync("stopping the recording", async (c, t) =>
        {
            RecordingResult r = await DeviceActions.StopRecordingAsync(c.Client, t);
            return new ActionReply(r.Ok, r.Message, r.Ok ? 200 : 409, r.SessionId);
        }, ct);

        /// <summary>Runs one button's action: refused while another runs or without a device; device and link errors become a message.</summary>
        public async Task<ActionReply> RunAsync(string what, Func<DeviceConnection, CancellationToken, Task<ActionReply>> action, CancellationToken ct)
        {
            DeviceConnection? c = Connection;
            if (c == null || State != DeviceLinkState.Connected) return new ActionReply(false, Reason, 503);
            if (!await _busy.WaitAsync(0, ct)) return new ActionReply(false, $"busy: {_busyWith ?? "another action"} — try again when it is done", 409);
            using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
            try
            {
                SetBusy(what);
                ActionReply reply = await action(c, both.Token);
                _hub.PublishLog(reply.Message, reply.Ok ? "ok" : "error");
                return reply;
            }
            catch (TimeoutException e)
            {
                _hub.PublishLog(e.Message, "error");
                return new ActionReply(false, e.Message, 504);
            }
            catch (Exception e) when (IsDeviceTrouble(e))
            {
                _hub.PublishLog(e.Message, "error");
                return new ActionReply(false, e.Message, 502);
            }
            finally
            {
                SetBusy(null);
                _busy.Release();
            }
        }

        // Built and handed to the hub under the lock: two changes on different threads (the link's,
        // the reconnection loop's, a button's) cannot reach the pages in the opposite order.
        private void Publish()
        {
            lock (_lock) PublishLocked();
        }

        private void PublishLocked()
        {
            DeviceLinkState state = State;
            string reason = Reason;
            string? busy = _busyWith;
            DeviceConnection? c = Connection;
            DeviceStatus? s = _status;
            _hub.PublishDevice(SseMessage.Build("device", w =>
            {
                w.WriteString("state", state.ToString().ToLowerInvariant());
                w.WriteString("reason", reason);
                w.WriteString("description", c?.Client.Link.Description ?? Description);
                w.WriteString("serial", c?.Identity.Serial);
                w.WriteString("firmware", c?.Identity.Firmware);
                w.WriteBoolean("virtual", c?.Virtual != null);
                w.WriteString("busy", busy);
                w.WriteNumber("heightCm", _heightCm);
                if (s == null) return;
                w.WriteBoolean("neutral", (s.CalibrationFlags & DeviceStatus.CalNeutral) != 0);
                w.WriteBoolean("hinge", (s.CalibrationFlags & DeviceStatus.CalHinge) != 0);
                w.WriteBoolean("range", (s.CalibrationFlags & DeviceStatus.CalRange) != 0);
                w.WriteBoolean("recording", s.Recording == RecordingState.Recording);
                if (s.Recording == RecordingState.Recording) w.WriteNumber("session", s.SessionId);
                w.WriteNumber("batteryPercent", s.BatteryPercent);
                w.WriteNumber("undownloaded", s.UndownloadedSessions);
            }));
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            if (_connecting != null)
            {
                try { await _connecting; }
                catch (OperationCanceledException) { }
            }
            // Before the connection goes: a reconnection under way is cancelled and waited for, so
            // nothing connects a link that is being disposed.
            if (_keeper != null) await _keeper.DisposeAsync();
            _hub.Detach();
            if (Connection != null)
            {
                Connection.Client.StatusReceived -= OnStatus;
                await Connection.DisposeAsync();
            }
            _stop.Dispose();
        }
    }

    /// <summary>The dashboard's virtual device, lent out: its ATT link is the borrower's until this is disposed.</summary>
    public sealed class DeviceLoan : IAsyncDisposable
    {
        private readonly DashboardDevice _owner;
        private readonly DeviceConnection _connection;
        private int _returned;

        internal DeviceLoan(DashboardDevice owner, DeviceConnection connection, HingeSensor.VirtualDevice.VirtualDeviceHost device)
        {
            _owner = owner;
            _connection = connection;
            Device = device;
        }

        public HingeSensor.VirtualDevice.VirtualDeviceHost Device { get; }

        /// <summary>Gives the device back; the dashboard reconnects before this completes.</summary>
        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0) await _owner.TakeBackAsync(_connection);
        }
    }
}
