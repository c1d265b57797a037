using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace HingeSensor.DevTools.Benchmarks
{
    /// <summary>What one entry point reaches: the methods of our assemblies and the calls that leave them.</summary>
    public sealed record IlReach(string EntryPoint, int Methods, int IlBytes, IReadOnlyList<string> ExternalCalls, IReadOnlyList<(string Method, int IlBytes)> Largest);

    /// <summary>
    /// Reads built assemblies' IL and follows every call, callvirt, newobj and ldftn from an entry
    /// method through the methods of our own assemblies (HingeSensor.*; overloads of a referenced
    /// method are all counted, an over-estimate). The summed IL size of what is reached is our
    /// proxy for the per-sample cost on the nanoFramework interpreter, which executes IL as it is
    /// (no inlining, no JIT).
    /// </summary>
    public static class IlCallGraph
    {
        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        private sealed class Module
        {
            public PEReader Pe = null!;
            public MetadataReader Md = null!;
        }

        /// <summary>
        /// Follows the calls from type.methodName. Methods named in <paramref name="exclude"/>
        /// (as Type.Method) are not followed: branches the steady state does not take.
        /// </summary>
        public static IlReach Measure(Type type, string methodName, params string[] exclude)
        {
            var modules = new Dictionary<string, Module>(StringComparer.Ordinal);
            Module Load(string name)
            {
                if (modules.TryGetValue(name, out Module? m)) return m;
                string path = Path.Combine(Path.GetDirectoryName(type.Assembly.Location)!, name + ".dll");
                var pe = new PEReader(File.OpenRead(path));
                return modules[name] = new Module { Pe = pe, Md = pe.GetMetadataReader() };
            }
            try
            {
                string entryAssembly = type.Assembly.GetName().Name!;
                Module entryModule = Load(entryAssembly);
                var work = new Stack<(string Assembly, MethodDefinitionHandle Method)>();
                foreach (MethodDefinitionHandle h in FindMethods(entryModule.Md, type.Namespace ?? "", type.Name, methodName, -1)) work.Push((entryAssembly, h));

                var seen = new HashSet<(string, MethodDefinitionHandle)>();
                var external = new SortedSet<string>(StringComparer.Ordinal);
                var sizes = new List<(string, int)>();
                int total = 0;
                while (work.Count > 0)
                {
                    var (asm, h) = work.Pop();
                    Module mod = Load(asm);
                    string name = Name(mod.Md, h);
                    if (exclude.Contains(name) || !seen.Add((asm, h))) continue;
                    MethodDefinition m = mod.Md.GetMethodDefinition(h);
                    if (m.RelativeVirtualAddress == 0) continue;
                    byte[] il = mod.Pe.GetMethodBody(m.RelativeVirtualAddress).GetILBytes()!;
                    total += il.Length;
                    sizes.Add((name, il.Length));
                    foreach (int token in CallTokens(il))
                    {
                        EntityHandle target = MetadataTokens.EntityHandle(token);
                        if (target.Kind == HandleKind.MethodDefinition) { work.Push((asm, (MethodDefinitionHandle)target)); continue; }
                        if (target.Kind == HandleKind.MethodSpecification)
                        {
                            external.Add("generic method");
                            continue;
                        }
                        if (target.Kind != HandleKind.MemberReference) continue;
                        MemberReference r = mod.Md.GetMemberReference((MemberReferenceHandle)target);
                        if (r.Parent.Kind != HandleKind.TypeReference) { external.Add(mod.Md.GetString(r.Name)); continue; }
                        TypeReference tr = mod.Md.GetTypeReference((TypeReferenceHandle)r.Parent);
                        string? owner = OwningAssembly(mod.Md, tr);
                        string refName = mod.Md.GetString(tr.Name) + "." + mod.Md.GetString(r.Name);
                        if (owner == null || !owner.StartsWith("HingeSensor.", StringComparison.Ordinal)) { external.Add(refName); continue; }
                        Module target2 = Load(owner);
                        int parameters = r.GetKind() == MemberReferenceKind.Method ? ParameterCount(mod.Md.GetBlobReader(r.Signature)) : -2;
                        foreach (MethodDefinitionHandle d in FindMethods(target2.Md, mod.Md.GetString(tr.Namespace), mod.Md.GetString(tr.Name), mod.Md.GetString(r.Name), parameters))
                            work.Push((owner, d));
                    }
                }
                return new IlReach($"{type.Name}.{methodName}", seen.Count, total, external.ToList(), sizes.OrderByDescending(s => s.Item2).Take(8).ToList());
            }
            finally
            {
                foreach (Module m in modules.Values) m.Pe.Dispose();
            }
        }

        private static string? OwningAssembly(MetadataReader md, TypeReference tr)
        {
            EntityHandle scope = tr.ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference) scope = md.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
            return scope.Kind == HandleKind.AssemblyReference ? md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) : null;
        }

        private static int ParameterCount(BlobReader sig)
        {
            SignatureHeader header = sig.ReadSignatureHeader();
            if (header.IsGeneric) sig.ReadCompressedInteger();
            return sig.ReadCompressedInteger();
        }

        private static IEnumerable<MethodDefinitionHandle> FindMethods(MetadataReader md, string ns, string typeName, string method, int parameters)
        {
            foreach (TypeDefinitionHandle th in md.TypeDefinitions)
            {
                TypeDefinition td = md.GetTypeDefinition(th);
                if (md.GetString(td.Name) != typeName || md.GetString(td.Namespace) != ns) continue;
                foreach (MethodDefinitionHandle mh in td.GetMethods())
                {
                    MethodDefinition m = md.GetMethodDefinition(mh);
                    if (md.GetString(m.Name) != method) continue;
                    if (parameters >= 0 && ParameterCount(md.GetBlobReader(m.Signature)) != parameters) continue;
                    yield return mh;
                }
            }
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
    }
}
