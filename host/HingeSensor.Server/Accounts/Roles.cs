using System;

namespace HingeSensor.Server.Accounts
{
    /// <summary>
    /// A person's role in one team. A coach (or clinician) sees the sessions of every member of the
    /// teams they coach; an athlete (or patient) sees their own sessions only.
    /// </summary>
    public static class Roles
    {
        public const string Coach = "coach";
        public const string Athlete = "athlete";

        /// <summary>The role a word names ("clinician" is a coach, "patient" an athlete), or an error saying what is allowed.</summary>
        public static string Parse(string word) => word.Trim().ToLowerInvariant() switch
        {
            "coach" or "clinician" => Coach,
            "athlete" or "patient" => Athlete,
            _ => throw new ArgumentException($"role '{word}' does not exist: coach (or clinician), athlete (or patient)"),
        };
    }
}
