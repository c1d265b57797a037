using System;
using System.Threading.Tasks;
using HingeSensor.VirtualDevice;
using Microsoft.Playwright;

namespace HingeSensor.Web.Tests.WebBluetooth
{
    /// <summary>
    /// Everything a browser test of Web Bluetooth needs, in the order it must be set up: a browser
    /// context with the notification shim, its page, the chooser that picks the emulated device,
    /// the browser-wide emulation (powered-on LE central) and, given a virtual device, the emulated
    /// HingeSensor bridged to it. The page is not navigated: the test opens the page it tests.
    /// Disposed in reverse, the emulation switched off for the next test.
    /// </summary>
    public sealed class WebBluetoothBench : IAsyncDisposable
    {
        private readonly IBrowserContext _context;

        private WebBluetoothBench(IBrowserContext context, IPage page, DeviceChooser chooser, BluetoothEmulation emulation)
        {
            _context = context;
            Page = page;
            Chooser = chooser;
            Emulation = emulation;
        }

        public IPage Page { get; }
        public DeviceChooser Chooser { get; }
        public BluetoothEmulation Emulation { get; }

        /// <summary>The HingeSensor the page can choose (null when the test answers the emulation itself).</summary>
        public EmulatedHingeSensor? Sensor { get; private set; }

        /// <param name="device">Bridged as <see cref="EmulatedHingeSensor"/> when given; otherwise the chooser picks <paramref name="pick"/> and the test builds and answers its own peripheral.</param>
        public static async Task<WebBluetoothBench> StartAsync(IBrowser browser, VirtualDeviceHost? device = null, bool paired = true, string pick = EmulatedHingeSensor.Address)
        {
            IBrowserContext context = await browser.NewContextAsync();
            try
            {
                await NotificationShim.InstallAsync(context);
                IPage page = await context.NewPageAsync();
                page.SetDefaultTimeout(30000);
                DeviceChooser chooser = await DeviceChooser.PickAsync(page, device != null ? EmulatedHingeSensor.Address : pick);
                var bench = new WebBluetoothBench(context, page, chooser, await BluetoothEmulation.StartAsync(browser));
                if (device != null) bench.Sensor = await EmulatedHingeSensor.StartAsync(bench.Emulation, page, device, paired);
                return bench;
            }
            catch
            {
                await context.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Sensor != null) await Sensor.DisposeAsync();
            await Emulation.DisposeAsync();
            await Chooser.DisposeAsync();
            await _context.DisposeAsync();
        }
    }
}
