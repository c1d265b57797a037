using System;
using System.Reflection;

namespace HingeSensor.Nano.Bench
{
    /// <summary>
    /// Sums the managed heap held by the objects reachable from a root, under nanoCLR's layout, for
    /// the ESP32 (12-byte heap blocks) and for this machine's 64-bit build (24-byte blocks). The
    /// interpreter here can only say how much its own heap shrank; this turns that into the
    /// device's figure. The layout (nf-interpreter's CLR_RT_HeapBlock and its array header, checked
    /// against this machine's GC figures by the bench, which compares the 64-bit sum with the
    /// measured one):
    ///   object   — one block for the header and one per instance field (a long or a double fits
    ///              in one); a struct-typed field is a block pointing at a boxed copy, itself a
    ///              header plus one block per field;
    ///   array    — a header (20 bytes on the ESP32, 32 here) and the elements, rounded up to whole
    ///              blocks: 1, 2, 4 or 8 bytes a primitive, one block a reference or a struct (whose
    ///              boxed copies come on top);
    ///   string   — a block and its UTF-8 text with a terminator, rounded up to blocks.
    /// Runs once after the measurement it explains (it allocates as it walks).
    /// </summary>
    public sealed class HeapCensus
    {
        public const int EspBlock = 12;
        public const int HereBlock = 24;
        public const int EspArrayHeader = 20;
        public const int HereArrayHeader = 32;

        private object[] _seen = new object[512];
        private int _seenCount;
        private object[] _pending = new object[256];
        private int _pendingCount;
        private string[] _typeNames = new string[64];
        private int[] _typeCounts = new int[64];
        private int[] _typeEsp = new int[64];
        private int _types;

        public int EspBytes;
        public int HereBytes;
        public int Objects;

        /// <summary>Objects that are not the device's (the models of the hardware): never counted.</summary>
        public void Exclude(object? o)
        {
            if (o != null && !Seen(o)) Remember(o);
        }

        /// <summary>Counts everything reachable from <paramref name="root"/> not counted or excluded yet.</summary>
        public void Walk(object? root)
        {
            Push(root);
            while (_pendingCount > 0)
            {
                object o = _pending[--_pendingCount];
                _pending[_pendingCount] = null!;
                Count(o);
            }
        }

        /// <summary>Counts what the static fields of <paramref name="types"/> hold.</summary>
        public void WalkStatics(Type[] types)
        {
            for (int i = 0; i < types.Length; i++)
            {
                FieldInfo[] fields = types[i].GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
                for (int f = 0; f < fields.Length; f++)
                    if (!fields[f].FieldType.IsValueType) Walk(fields[f].GetValue(null));
            }
        }

        public int TypeCount { get { return _types; } }
        public string TypeName(int i) { return _typeNames[i]; }
        public int TypeObjects(int i) { return _typeCounts[i]; }
        public int TypeEspBytes(int i) { return _typeEsp[i]; }

        private void Push(object? o)
        {
            if (o == null || Seen(o)) return;
            Remember(o);
            if (_pendingCount == _pending.Length) _pending = Grow(_pending);
            _pending[_pendingCount++] = o;
        }

        private void Count(object o)
        {
            Type t = o.GetType();
            int esp, here;
            string? s = o as string;
            if (s != null)
            {
                esp = Round(EspBlock + s.Length + 1, EspBlock);
                here = Round(HereBlock + s.Length + 1, HereBlock);
            }
            else if (t.IsArray) CountArray((Array)o, t.GetElementType()!, out esp, out here);
            else CountObject(o, t, out esp, out here);
            EspBytes += esp;
            HereBytes += here;
            Objects++;
            Tally(t.FullName, esp);
        }

        private void CountArray(Array a, Type element, out int esp, out int here)
        {
            int n = a.Length;
            int size = PrimitiveBytes(element);
            if (size > 0)
            {
                esp = Round(EspArrayHeader + n * size, EspBlock);
                here = Round(HereArrayHeader + n * size, HereBlock);
                return;
            }
            esp = Round(EspArrayHeader + n * EspBlock, EspBlock);
            here = Round(HereArrayHeader + n * HereBlock, HereBlock);
            bool structs = element.IsValueType;
            for (int i = 0; i < n; i++)
            {
                object? item = a.GetValue(i);
                if (structs && item != null) AddBoxed(item, ref esp, ref here);
                else Push(item);
            }
        }

        private void CountObject(object o, Type t, out int esp, out int here)
        {
            int fields = 0;
            esp = 0;
            here = 0;
            for (Type? level = t; level != null; level = level.BaseType)
            {
                FieldInfo[] declared = level.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
                for (int f = 0; f < declared.Length; f++)
                {
                    fields++;
                    Type ft = declared[f].FieldType;
                    if (PrimitiveBytes(ft) > 0) continue;
                    object? value = declared[f].GetValue(o);
                    if (ft.IsValueType && value != null) AddBoxed(value, ref esp, ref here);
                    else Push(value);
                }
            }
            esp += (1 + fields) * EspBlock;
            here += (1 + fields) * HereBlock;
        }

        // A struct held in a field or an array element: its own boxed object (header + fields).
        private void AddBoxed(object value, ref int esp, ref int here)
        {
            int innerEsp, innerHere;
            CountObject(value, value.GetType(), out innerEsp, out innerHere);
            esp += innerEsp;
            here += innerHere;
        }

        // Bytes of an element stored inline in an array (and a field that needs no object of its
        // own); 0 for references and structs.
        private static int PrimitiveBytes(Type t)
        {
            if (!t.IsValueType) return 0;
            if (t.IsEnum) return 4;
            if (t == typeof(byte) || t == typeof(sbyte) || t == typeof(bool)) return 1;
            if (t == typeof(short) || t == typeof(ushort) || t == typeof(char)) return 2;
            if (t == typeof(int) || t == typeof(uint) || t == typeof(float)) return 4;
            if (t == typeof(long) || t == typeof(ulong) || t == typeof(double)) return 8;
            return 0;
        }

        private static int Round(int bytes, int block) { return (bytes + block - 1) / block * block; }

        private bool Seen(object o)
        {
            for (int i = 0; i < _seenCount; i++)
                if (ReferenceEquals(_seen[i], o)) return true;
            return false;
        }

        private void Remember(object o)
        {
            if (_seenCount == _seen.Length) _seen = Grow(_seen);
            _seen[_seenCount++] = o;
        }

        private void Tally(string name, int esp)
        {
            for (int i = 0; i < _types; i++)
            {
                if (_typeNames[i] != name) continue;
                _typeCounts[i]++;
                _typeEsp[i] += esp;
                return;
            }
            if (_types == _typeNames.Length)
            {
                var names = new string[_types * 2];
                var counts = new int[_types * 2];
                var bytes = new int[_types * 2];
                Array.Copy(_typeNames, names, _types);
                Array.Copy(_typeCounts, counts, _types);
                Array.Copy(_typeEsp, bytes, _types);
                _typeNames = names;
                _typeCounts = counts;
                _typeEsp = bytes;
            }
            _typeNames[_types] = name;
            _typeCounts[_types] = 1;
            _typeEsp[_types] = esp;
            _types++;
        }

        private static object[] Grow(object[] a)
        {
            var b = new object[a.Length * 2];
            Array.Copy(a, b, a.Length);
            return b;
        }
    }
}
