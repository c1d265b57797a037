using System;
using System.IO;
using ScottPlot;
using SkiaSharp;

namespace HingeSensor.Host.Reports
{
    /// <summary>
    /// The one font every report plot uses, loaded from inside hinge. Why not the system's: a
    /// headless machine may have no font at all (ScottPlot then draws axes without a single
    /// label), and a report should look the same on every machine that makes it.
    /// </summary>
    public static class ReportFonts
    {
        /// <summary>The name plots ask ScottPlot for; unique so that no installed font answers to it.</summary>
        public const string Sans = "HingeSensor Report Sans";

        private static readonly object Gate = new();
        private static bool _registered;

        /// <summary>
        /// Makes <see cref="Sans"/> known to ScottPlot. Idempotent; call before building a plot.
        /// ScottPlot keeps its resolvers in a plain static list, so a host that also renders other
        /// ScottPlot figures on several threads should call this once at start-up.
        /// </summary>
        public static void Register()
        {
            lock (Gate)
            {
                if (_registered) return;
                Fonts.FontResolvers.Insert(0, new EmbeddedResolver(Load("ReportSans.ttf"), Load("ReportSans-Bold.ttf")));
                _registered = true;
            }
        }

        private static SKTypeface Load(string file)
        {
            string name = "HingeSensor.Host.Reports.Fonts." + file;
            using Stream stream = typeof(ReportFonts).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"hinge was built without its report font {name}");
            return SKTypeface.FromStream(stream)
                ?? throw new InvalidOperationException($"the report font {name} does not load");
        }

        private sealed class EmbeddedResolver(SKTypeface regular, SKTypeface boldFace) : IFontResolver
        {
            // No italic face is embedded: the reports use none.
            public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
                fontName == Sans ? (bold ? boldFace : regular) : null;

            public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
                CreateTypeface(fontName, weight >= FontWeight.SemiBold, slant != FontSlant.Upright);
        }
    }
}
