using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Web.Tests
{
    /// <summary>
    /// The dashboard tests in one collection: they run one after the other, so a virtual device
    /// running time-compressed never competes with another for the machine's two cores.
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class DashboardCollection : ICollectionFixture<BrowserFixture>
    {
        public const string Name = "dashboard";
    }

    /// <summary>
    /// The endurance run in a collection (and a browser) of its own, beside the dashboard tests:
    /// ten minutes of device time at ×20 are 30 s of wall time spent mostly waiting, and what it
    /// asserts is counted in device time and in the page's own frames, elements and heap.
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class EnduranceCollection : ICollectionFixture<BrowserFixture>
    {
        public const string Name = "endurance";
    }
}
