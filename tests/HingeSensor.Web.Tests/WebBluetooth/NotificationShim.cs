using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace HingeSensor.Web.Tests.WebBluetooth
{
    /// <summary>
    /// The one piece of Web Bluetooth the DevTools emulation cannot do in Chromium 156: deliver a
    /// notification. notification-shim.js (embedded) is added to a browser context before its pages
    /// load; <see cref="DeliverAsync"/> then fires characteristicvaluechanged on the page's
    /// subscribed characteristics. Test-only, documented in docs/web-bluetooth-testing.md.
    /// </summary>
    public static class NotificationShim
    {
        private static readonly Lazy<string> Script = new(() =>
        {
            using Stream s = typeof(NotificationShim).Assembly.GetManifestResourceStream("WebBluetooth/notification-shim.js")
                ?? throw new InvalidOperationException("notification-shim.js is not embedded in the test assembly");
            using var r = new StreamReader(s);
            return r.ReadToEnd();
        });

        /// <summary>Installs the shim in every page the context opens from now on.</summary>
        public static Task InstallAsync(IBrowserContext context) => context.AddInitScriptAsync(Script.Value);

        /// <summary>Delivers notifications (characteristic UUID, value) in order; returns how many reached a subscribed characteristic of a connected device.</summary>
        public static Task<int> DeliverAsync(IPage page, IReadOnlyList<(string Uuid, byte[] Value)> notifications)
        {
            var args = new object[notifications.Count];
            for (int i = 0; i < notifications.Count; i++)
                args[i] = new object[] { notifications[i].Uuid.ToLowerInvariant(), Convert.ToBase64String(notifications[i].Value) };
            return page.EvaluateAsync<int>("list => window.__hingeBluetoothNotifications.deliver(list)", args);
        }
    }
}
