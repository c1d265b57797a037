using HingeSensor.TestSupport;
using Xunit;

// The long test classes ([StartsEarly]) start first and run beside the short ones: see StartsEarlyFirst.
[assembly: TestCollectionOrderer(StartsEarlyFirst.TypeName, StartsEarlyFirst.AssemblyName)]
