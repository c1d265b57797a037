using System;
using System.IO;

namespace HingeSensor.DevTools.Evaluation.PublicRecordings
{
    /// <summary>
    /// Where the public recordings (made by people outside this project) are read from. They are
    /// never copied into the repository: a developer clones them beside the checkout (docs/public-recordings.md)
    /// or points <see cref="DirectoryVariable"/> at a folder holding the clones. Absent, their tests skip.
    /// </summary>
    public static class PublicRecordingData
    {
        public const string DirectoryVariable = "HINGESENSOR_PUBLIC_DIR";

        /// <summary>The folder holding the clones: $HINGESENSOR_PUBLIC_DIR, else ../public beside the checkout.</summary>
        public static string Directory => EvaluationData.BesideCheckout(DirectoryVariable, "public");

        /// <summary>github:CarmenEnsink/TrunkyXL (its data/ folder: one folder per participant).</summary>
        public static string TrunkyXl => Path.Combine(Directory, "TrunkyXL");

        /// <summary>github:Arai-4-Data-Analysis-Team/Wearables-Data-Analysis at a648109 (its data/labeled/ folder).</summary>
        public static string Arai => Path.Combine(Directory, "Wearables-Data-Analysis");
    }
}
