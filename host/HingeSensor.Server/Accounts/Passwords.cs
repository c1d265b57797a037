using System;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HingeSensor.Server.Accounts
{
    /// <summary>
    /// Password hashes by ASP.NET Core Identity's hasher: PBKDF2 with HMAC-SHA512, a 128-bit random
    /// salt per password, 210,000 iterations (OWASP's figure for this PRF), the format versioned in
    /// the hash so that a later, costlier setting rehashes at the next sign-in. The hash is what is
    /// stored; the password never is.
    /// </summary>
    public static class Passwords
    {
        public const int Iterations = 210_000;
        public const int MinLength = 10;

        private static readonly PasswordHasher<object> Hasher = new(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = Iterations,
        }));

        private static readonly object Nobody = new();

        // Checked against when the email is unknown, so that an unknown account costs a sign-in the same time as a wrong password.
        private static readonly string Decoy = Hasher.HashPassword(Nobody, Guid.NewGuid().ToString());

        public static string Hash(string password)
        {
            if (password.Length < MinLength) throw new ArgumentException($"a password has at least {MinLength} characters");
            return Hasher.HashPassword(Nobody, password);
        }

        /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>; a null hash (no password set) is checked against a decoy and fails.</summary>
        public static bool Verify(string? hash, string password, out bool rehash)
        {
            PasswordVerificationResult r = Hasher.VerifyHashedPassword(Nobody, hash ?? Decoy, password);
            rehash = r == PasswordVerificationResult.SuccessRehashNeeded;
            return hash != null && r != PasswordVerificationResult.Failed;
        }
    }
}
