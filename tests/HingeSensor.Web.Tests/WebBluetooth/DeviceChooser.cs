using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace HingeSensor.Web.Tests.WebBluetooth
{
    /// <summary>
    /// The person in front of requestDevice's chooser, through the page's DevTools
    /// <c>DeviceAccess</c> domain: when the chooser lists the wanted address it picks it.
    /// Chromium raises deviceRequestPrompted again each time the list changes, with the same
    /// prompt id, and a second selectPrompt for one prompt kills the browser (CHECK failure
    /// "callback_" in bluetooth_device_chooser_controller.cc, seen on 156): each prompt is
    /// answered once.
    /// </summary>
    public sealed class DeviceChooser : IAsyncDisposable
    {
        private readonly ICDPSession _session;
        private readonly string _address;
        private readonly HashSet<string> _answered = new();
        private readonly List<string> _shown = new();

        private DeviceChooser(ICDPSession session, string address)
        {
            _session = session;
            _address = address;
        }

        /// <summary>Picks <paramref name="address"/> in every chooser the page opens from now on.</summary>
        public static async Task<DeviceChooser> PickAsync(IPage page, string address)
        {
            var chooser = new DeviceChooser(await page.Context.NewCDPSessionAsync(page), address);
            chooser._session.Event("DeviceAccess.deviceRequestPrompted").OnEvent += (_, e) =>
            {
                if (e is JsonElement p) _ = chooser.OnPromptAsync(p);
            };
            await chooser._session.SendAsync("DeviceAccess.enable");
            return chooser;
        }

        /// <summary>Every list the chooser showed, for a failure message ("id:name, …").</summary>
        public IReadOnlyList<string> Shown { get { lock (_answered) return _shown.ToArray(); } }

        private async Task OnPromptAsync(JsonElement prompt)
        {
            string id = prompt.GetProperty("id").GetString()!;
            bool listed = false;
            var names = new List<string>();
            foreach (JsonElement d in prompt.GetProperty("devices").EnumerateArray())
            {
                string deviceId = d.GetProperty("id").GetString()!;
                names.Add(deviceId + ":" + d.GetProperty("name").GetString());
                listed |= string.Equals(deviceId, _address, StringComparison.OrdinalIgnoreCase);
            }
            lock (_answered)
            {
                _shown.Add(string.Join(", ", names));
                if (!listed || !_answered.Add(id)) return;
            }
            await _session.SendAsync("DeviceAccess.selectPrompt", new() { ["id"] = id, ["deviceId"] = _address });
        }

        public async ValueTask DisposeAsync()
        {
            try { await _session.DetachAsync(); }
            catch (PlaywrightException) { /* the page is already closed */ }
        }
    }
}
