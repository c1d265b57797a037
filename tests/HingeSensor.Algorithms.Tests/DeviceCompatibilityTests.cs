using System.Linq;
using HingeSensor.TestSupport;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    public class DeviceCompatibilityTests
    {
        [Fact]
        public void Algorithm_sources_compile_against_the_nanoFramework_mscorlib_without_generics()
        {
            DeviceCheckResult result = DeviceCompatibilityCheck.CheckDirectories(RepositoryPaths.InRepo("shared", "HingeSensor.Algorithms"));
            Assert.True(result.Passed, result.ToString());
            Assert.True(result.SourceFiles > 20, $"only {result.SourceFiles} files were checked");
        }

        [Fact]
        public void Protocol_sources_compile_against_the_nanoFramework_mscorlib_with_the_algorithms_only()
        {
            // The algorithms compile alone (above): they do not need the protocol. The protocol
            // needs nothing but the algorithms whose settings and results it encodes.
            DeviceCheckResult result = DeviceCompatibilityCheck.CheckDirectories(
                RepositoryPaths.InRepo("shared", "HingeSensor.Algorithms"),
                RepositoryPaths.InRepo("shared", "HingeSensor.Protocol"));
            Assert.True(result.Passed, result.ToString());
            Assert.True(result.SourceFiles > 35, $"only {result.SourceFiles} files were checked");
        }

        [Fact]
        public void A_snippet_using_List_of_int_is_rejected()
        {
            DeviceCheckResult result = DeviceCompatibilityCheck.CheckSources(new[] { ("Snippet.cs",
                "using System.Collections.Generic; class S { int F() { var l = new List<int>(); l.Add(1); return l.Count; } }") });
            Assert.False(result.Passed);
            Assert.Contains(result.Problems, p => p.Contains("List"));
        }

        [Fact]
        public void A_snippet_defining_a_generic_class_is_rejected_from_the_metadata()
        {
            // This compiles against mscorlib: only the metadata inspection can catch it.
            DeviceCheckResult result = DeviceCompatibilityCheck.CheckSources(new[] { ("Snippet.cs", "class X<T> { public T Value; }") });
            Assert.False(result.Passed);
            Assert.Contains(result.Problems, p => p.Contains("generic type definition: X`1"));
            Assert.DoesNotContain(result.Problems, p => p.StartsWith("compile:"));
        }

        [Fact]
        public void Instantiating_a_generic_delegate_that_mscorlib_declares_is_rejected()
        {
            // Action<T> exists in the device mscorlib but fails at run time on the device.
            DeviceCheckResult result = DeviceCompatibilityCheck.CheckSources(new[] { ("Snippet.cs",
                "using System; class S { void F() { Action<int> a = x => { }; a(1); } }") });
            Assert.False(result.Passed);
            Assert.Contains(result.Problems, p => p.Contains("Action`1<Int32>"));
        }

        [Fact]
        public void Float_math_that_only_the_desktop_has_is_rejected()
        {
            DeviceCheckResult result = DeviceCompatibilityCheck.CheckSources(new[] { ("Snippet.cs",
                "class S { float F(float x) { return System.MathF.Sqrt(x); } }") });
            Assert.False(result.Passed);
            Assert.True(result.Problems.All(p => p.StartsWith("compile:")));
        }

        [Fact]
        public void Multidimensional_arrays_are_rejected()
        {
            DeviceCheckResult result = DeviceCompatibilityCheck.CheckSources(new[] { ("Snippet.cs", "class S { float[,] m = new float[3, 3]; }") });
            Assert.False(result.Passed);
            Assert.Contains(result.Problems, p => p.Contains("multidimensional"));
        }

        [Fact]
        public void Plain_device_code_passes()
        {
            DeviceCheckResult result = DeviceCompatibilityCheck.CheckSources(new[] { ("Snippet.cs",
                "class S { float[] a = new float[3]; float F(float x) { return (float)System.Math.Sqrt(x) + a[0]; } }") });
            Assert.True(result.Passed, result.ToString());
        }
    }
}
