using System;

namespace HingeSensor.TestSupport
{
    /// <summary>
    /// How big a campaign runs: a bounded slice with every test run, the full one when
    /// HINGESENSOR_CAMPAIGN=long.
    /// </summary>
    public static class CampaignScale
    {
        public static bool Long => string.Equals(Environment.GetEnvironmentVariable("HINGESENSOR_CAMPAIGN"), "long", StringComparison.OrdinalIgnoreCase);

        public static int Size(int slice, int full) => Long ? full : slice;

        public static string Name => Long ? "long" : "slice";
    }
}
