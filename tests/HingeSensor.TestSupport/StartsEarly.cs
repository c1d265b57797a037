using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.TestSupport
{
    /// <summary>
    /// Marks a test class (or a collection definition) whose tests take long: with
    /// <see cref="StartsEarlyFirst"/> its collection is started before the others (lowest
    /// <see cref="Rank"/> first), so that it runs beside the many short ones instead of alone at the
    /// end of the run with the machine's other core idle.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class StartsEarlyAttribute : Attribute
    {
        public StartsEarlyAttribute(int rank = 0)
        {
            Rank = rank;
        }

        public int Rank { get; }
    }

    /// <summary>
    /// The order in which xunit starts the test collections (two run at a time on two cores): the
    /// ones marked <see cref="StartsEarlyAttribute"/> first, the rest as they come. Named by an
    /// assembly's [assembly: TestCollectionOrderer(...)].
    /// </summary>
    public sealed class StartsEarlyFirst : ITestCollectionOrderer
    {
        public const string TypeName = "HingeSensor.TestSupport.StartsEarlyFirst";
        public const string AssemblyName = "HingeSensor.TestSupport";

        public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
            testCollections.ToList().OrderBy(c => Rank(c) ?? int.MaxValue); // stable: the rest keep their order

        private static int? Rank(ITestCollection c)
        {
            ITypeInfo? type = c.CollectionDefinition ?? TestClassOf(c);
            IAttributeInfo? mark = type?.GetCustomAttributes(typeof(StartsEarlyAttribute).AssemblyQualifiedName).FirstOrDefault();
            return mark?.GetConstructorArguments().FirstOrDefault() as int?;
        }

        // A class without a collection of its own has one named after it.
        private static ITypeInfo? TestClassOf(ITestCollection c)
        {
            const string prefix = "Test collection for ";
            if (!c.DisplayName.StartsWith(prefix, StringComparison.Ordinal)) return null;
            string name = c.DisplayName.Substring(prefix.Length);
            int suffix = name.IndexOf(' ');
            return c.TestAssembly.Assembly.GetType(suffix < 0 ? name : name.Substring(0, suffix));
        }
    }
}
