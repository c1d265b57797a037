using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace HingeSensor.Host.Benchmarks
{
    /// <summary>What one entry point reaches: the methods of its own assembly and the calls that leave it.</summary>
    public sealed record IlReach(string EntryPoint, int Methods, int IlBytes, IReadOnlyList<string> ExternalCalls, IReadOnlyList<(string Method, int IlBytes)> Largest);

    /// <summary>
    /// Reads a built assembly's IL and follows every call, callvirt, newobj and ldftn from an entry
    /// method through the methods of the same assembly. The summed IL size of what is reached is
    /// our proxy for the per-sample cost on the nanoFramework interpreter, which executes IL as it
    /// is (no inlining, no JIT).
    /// </summary>
    public static class IlCallGraph
    {
        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        /// <summary>
        /// Follows the calls from type.methodName. Methods named in <paramref name="exclude"/>
        /// (as Type.Method) are not followed: branches the steady state does not take.
        /// </summary>
        public static IlReach Measure(Type type, string methodName, params string[] exclude)
        {
            string path = type.Assembly.Location;
            using var pe = new PEReader(File.OpenRead(path));
            MetadataReader md = pe.GetMetadataReader();
            MethodDefinitionHandle entry = md.MethodDefinitions.First(h =>
            {
                MethodDefinition m = md.GetMethodDefinition(h);
                TypeDefinition t = md.GetTypeDefinition(m.GetDeclaringType());
                return md.GetString(m.Name) == methodName && md.GetString(t.Name) == type.Name;
            });

            var seen = new HashSet<MethodDefinitionHandle>();
            var external = new SortedSet<string>(StringComparer.Ordinal);
            var sizes = new List<(string, int)>();
            var work = new Stack<MethodDefinitionHandle>();
            work.Push(entry);
            int total = 0;
            while (work.Count > 0)
            {
                MethodDefinitionHandle h = work.Pop();
                if (exclude.Contains(Name(md, h)) || !seen.Add(h)) continue;
                MethodDefinition m = md.GetMethodDefinition(h);
                if (m.RelativeVirtualAddress == 0) continue;
                MethodBodyBlock body = pe.GetMethodBody(m.RelativeVirtualAddress);
                byte[] il = body.GetILBytes()!;
                total += il.Length;
                sizes.Add((Name(md, h), il.Length));
                foreach (int token in CallTokens(il))
                {
                    EntityHandle target = MetadataTokens.EntityHandle(token);
                    if (target.Kind == HandleKind.MethodDefinition) work.Push((MethodDefinitionHandle)target);
                    else external.Add(ExternalName(md, target));
                }
            }
            return new IlReach($"{type.Name}.{methodName}", seen.Count, total, external.ToList(),
                sizes.OrderByDescending(s => s.Item2).Take(8).ToList());
        }

        private static IEnumerable<int> CallTokens(byte[] il)
        {
            int i = 0;
            while (i < il.Length)
            {
                short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
                OpCode op = OpCodesByValue[value];
                i += op.Size;
                int operand = OperandSize(op.OperandType, il, i);
                if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj || op == OpCodes.Ldftn || op == OpCodes.Ldvirtftn)
                    yield return BitConverter.ToInt32(il, i);
                i += operand;
            }
        }

        private static int OperandSize(OperandType type, byte[] il, int at) => type switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
            _ => 4,
        };

        private static string Name(MetadataReader md, MethodDefinitionHandle h)
        {
            MethodDefinition m = md.GetMethodDefinition(h);
            return md.GetString(md.GetTypeDefinition(m.GetDeclaringType()).Name) + "." + md.GetString(m.Name);
        }

        private static string ExternalName(MetadataReader md, EntityHandle h)
        {
            if (h.Kind != HandleKind.MemberReference) return h.Kind.ToString();
            MemberReference r = md.GetMemberReference((MemberReferenceHandle)h);
            string parent = r.Parent.Kind == HandleKind.TypeReference
                ? md.GetString(md.GetTypeReference((TypeReferenceHandle)r.Parent).Name)
                : r.Parent.Kind.ToString();
            return parent + "." + md.GetString(r.Name);
        }
    }
}
