using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>
    /// The simulator's true angles (labels.angles.csv) in memory, looked up by time: the reference
    /// the analysed per-sample metrics are compared with.
    /// </summary>
    public sealed class TruthAngleTrack
    {
        private readonly double[] _t, _trunk, _head, _torso;

        public TruthAngleTrack(double[] t, double[] trunk, double[] head, double[] torso)
        {
            _t = t; _trunk = trunk; _head = head; _torso = torso;
        }

        public int Count => _t.Length;

        public static TruthAngleTrack Read(string anglesCsv)
        {
            var t = new List<double>(); var trunk = new List<double>(); var head = new List<double>(); var torso = new List<double>();
            using var r = new StreamReader(anglesCsv);
            string[] header = (r.ReadLine() ?? throw new InvalidDataException($"{anglesCsv}: empty")).Split(',');
            int it = Array.IndexOf(header, "t_s"), itr = Array.IndexOf(header, "trunk_flexion_deg"),
                ih = Array.IndexOf(header, "head_flexion_deg"), iu = Array.IndexOf(header, "upper_sag_deg");
            if (it < 0 || itr < 0 || ih < 0 || iu < 0) throw new InvalidDataException($"{anglesCsv}: not a true-angles file");
            string? line;
            while ((line = r.ReadLine()) != null)
            {
                string[] f = line.Split(',');
                double P(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
                t.Add(P(it)); trunk.Add(P(itr)); head.Add(P(ih)); torso.Add(P(iu));
            }
            return new TruthAngleTrack(t.ToArray(), trunk.ToArray(), head.ToArray(), torso.ToArray());
        }

        /// <summary>The true trunk flexion, head flexion and torso angle at the row nearest to t (the rows share the recording's clock).</summary>
        public (double Trunk, double Head, double Torso) At(double t)
        {
            int i = Array.BinarySearch(_t, t);
            if (i < 0)
            {
                i = ~i;
                if (i >= _t.Length || (i > 0 && t - _t[i - 1] < _t[i] - t)) i--;
            }
            return (_trunk[i], _head[i], _torso[i]);
        }
    }
}
