using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HingeSensor.TestSupport
{
    /// <summary>What the device compatibility check found.</summary>
    public sealed record DeviceCheckResult(bool Passed, IReadOnlyList<string> Problems, int SourceFiles)
    {
        public override string ToString() => Passed ? $"passed ({SourceFiles} files)" : string.Join(Environment.NewLine, Problems);
    }

    /// <summary>
    /// Proves code can run under nanoFramework 1.x: compiles it as C# 9 against the device's real
    /// mscorlib (no standard library) plus the double-only System.Math declarations, then rejects
    /// any generic type or method definition, any generic instantiation and any multidimensional
    /// array found in the compiled metadata (the interpreter has neither, even where mscorlib
    /// declares a generic type such as Action&lt;T&gt;).
    /// </summary>
    public static class DeviceCompatibilityCheck
    {
        private static readonly Lazy<MetadataReference> MathReference = new(BuildMathReference);

        /// <summary>Checks every .cs file under the given directories (bin/ and obj/ excluded).</summary>
        public static DeviceCheckResult CheckDirectories(params string[] directories)
        {
            var sources = new List<(string, string)>();
            foreach (string dir in directories)
            {
                foreach (string file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
                {
                    string rel = Path.GetRelativePath(dir, file).Replace('\\', '/');
                    if (rel.StartsWith("bin/", StringComparison.Ordinal) || rel.StartsWith("obj/", StringComparison.Ordinal)) continue;
                    sources.Add((file, File.ReadAllText(file)));
                }
            }
            return CheckSources(sources);
        }

        /// <summary>Checks the given sources (path for messages, text).</summary>
        public static DeviceCheckResult CheckSources(IEnumerable<(string Path, string Text)> sources)
        {
            var parse = new CSharpParseOptions(LanguageVersion.CSharp9, preprocessorSymbols: new[] { "NANOFRAMEWORK" });
            var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToList();
            var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false, optimizationLevel: OptimizationLevel.Release);
            var compilation = CSharpCompilation.Create("DeviceCheck", trees,
                new[] { MetadataReference.CreateFromFile(RepositoryPaths.NanoMscorlib), MathReference.Value }, options);

            using var pe = new MemoryStream();
            var emit = compilation.Emit(pe);
            var problems = new List<string>();
            foreach (Diagnostic d in emit.Diagnostics)
                if (d.Severity == DiagnosticSeverity.Error) problems.Add("compile: " + d);
            if (!emit.Success) return new DeviceCheckResult(false, problems, trees.Count);

            pe.Position = 0;
            problems.AddRange(FindGenerics(pe));
            return new DeviceCheckResult(problems.Count == 0, problems, trees.Count);
        }

        /// <summary>Every generic definition or instantiation in a compiled assembly, as a sentence each.</summary>
        public static IReadOnlyList<string> FindGenerics(Stream assembly)
        {
            using var peReader = new PEReader(assembly, PEStreamOptions.LeaveOpen);
            MetadataReader md = peReader.GetMetadataReader();
            var found = new List<string>();
            var provider = new UnsupportedTypeSpotter();

            foreach (TypeDefinitionHandle th in md.TypeDefinitions)
            {
                TypeDefinition td = md.GetTypeDefinition(th);
                string typeName = md.GetString(td.Name);
                if (td.GetGenericParameters().Count > 0) found.Add($"generic type definition: {typeName}");
                foreach (FieldDefinitionHandle fh in td.GetFields())
                {
                    FieldDefinition fd = md.GetFieldDefinition(fh);
                    provider.Context = $"field {typeName}.{md.GetString(fd.Name)}";
                    fd.DecodeSignature(provider, null);
                }
                foreach (MethodDefinitionHandle mh in td.GetMethods())
                {
                    MethodDefinition mdef = md.GetMethodDefinition(mh);
                    string methodName = $"{typeName}.{md.GetString(mdef.Name)}";
                    if (mdef.GetGenericParameters().Count > 0) found.Add($"generic method definition: {methodName}");
                    provider.Context = "signature of " + methodName;
                    mdef.DecodeSignature(provider, null);
                }
                foreach (PropertyDefinitionHandle ph in td.GetProperties())
                {
                    PropertyDefinition pd = md.GetPropertyDefinition(ph);
                    provider.Context = $"property {typeName}.{md.GetString(pd.Name)}";
                    pd.DecodeSignature(provider, null);
                }
            }
            foreach (MemberReferenceHandle rh in md.MemberReferences)
            {
                MemberReference mr = md.GetMemberReference(rh);
                provider.Context = "reference to " + md.GetString(mr.Name);
                if (mr.Parent.Kind == HandleKind.TypeSpecification)
                    md.GetTypeSpecification((TypeSpecificationHandle)mr.Parent).DecodeSignature(provider, null);
                if (mr.GetKind() == MemberReferenceKind.Method) mr.DecodeMethodSignature(provider, null);
                else mr.DecodeFieldSignature(provider, null);
            }
            int typeSpecs = md.GetTableRowCount(TableIndex.TypeSpec);
            for (int row = 1; row <= typeSpecs; row++)
            {
                provider.Context = "type specification";
                md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).DecodeSignature(provider, null);
            }
            int methodSpecs = md.GetTableRowCount(TableIndex.MethodSpec);
            for (int row = 1; row <= methodSpecs; row++)
            {
                MethodSpecification ms = md.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
                found.Add("generic method instantiation: " + MethodName(md, ms.Method));
            }
            int sigs = md.GetTableRowCount(TableIndex.StandAloneSig);
            for (int row = 1; row <= sigs; row++)
            {
                StandaloneSignature sig = md.GetStandaloneSignature(MetadataTokens.StandaloneSignatureHandle(row));
                provider.Context = "local variables";
                if (sig.GetKind() == StandaloneSignatureKind.LocalVariables) sig.DecodeLocalSignature(provider, null);
                else sig.DecodeMethodSignature(provider, null);
            }
            found.AddRange(provider.Found);
            return found.Distinct().ToList();
        }

        private static string MethodName(MetadataReader md, EntityHandle h)
        {
            if (h.Kind == HandleKind.MethodDefinition) return md.GetString(md.GetMethodDefinition((MethodDefinitionHandle)h).Name);
            if (h.Kind == HandleKind.MemberReference) return md.GetString(md.GetMemberReference((MemberReferenceHandle)h).Name);
            return h.Kind.ToString();
        }

        private static MetadataReference BuildMathReference()
        {
            using Stream s = typeof(DeviceCompatibilityCheck).Assembly.GetManifestResourceStream("NanoFrameworkMath.decl.cs")
                ?? throw new InvalidOperationException("embedded NanoFrameworkMath.decl.cs missing");
            string text = new StreamReader(s).ReadToEnd();
            var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.CSharp9));
            var compilation = CSharpCompilation.Create("System.Math", new[] { tree },
                new[] { MetadataReference.CreateFromFile(RepositoryPaths.NanoMscorlib) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            using var pe = new MemoryStream();
            var result = compilation.Emit(pe);
            if (!result.Success)
                throw new InvalidOperationException("System.Math declarations do not compile: " + string.Join("; ", result.Diagnostics));
            return MetadataReference.CreateFromImage(pe.ToArray());
        }

        /// <summary>Decodes signatures to names and notes every construct the device cannot run (generics, multidimensional arrays).</summary>
        private sealed class UnsupportedTypeSpotter : ISignatureTypeProvider<string, object?>
        {
            public readonly List<string> Found = new();
            public string Context = "";

            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
            {
                string name = $"{genericType}<{string.Join(",", typeArguments)}>";
                Found.Add($"generic instantiation {name} in {Context}");
                return name;
            }

            public string GetGenericMethodParameter(object? genericContext, int index)
            {
                Found.Add($"generic method parameter !!{index} in {Context}");
                return "!!" + index;
            }

            public string GetGenericTypeParameter(object? genericContext, int index)
            {
                Found.Add($"generic type parameter !{index} in {Context}");
                return "!" + index;
            }

            public string GetArrayType(string elementType, ArrayShape shape)
            {
                Found.Add($"multidimensional array {elementType}[{shape.Rank}] in {Context}");
                return elementType + "[,]";
            }
            public string GetByReferenceType(string elementType) => elementType + "&";
            public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
            public string GetPinnedType(string elementType) => elementType;
            public string GetPointerType(string elementType) => elementType + "*";
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
            public string GetSZArrayType(string elementType) => elementType + "[]";
            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);
            public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        }
    }
}
