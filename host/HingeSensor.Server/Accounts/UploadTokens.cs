using System;
using System.Security.Cryptography;
using System.Text;

namespace HingeSensor.Server.Accounts
{
    /// <summary>
    /// Upload tokens: "hst_" and 256 random bits (URL-safe base64). Only their SHA-256 is stored: a
    /// secret this long cannot be guessed, so a fast hash is enough to make a stolen table useless
    /// (a password, chosen by a person, needs the slow KDF of <see cref="Passwords"/>).
    /// </summary>
    public static class UploadTokens
    {
        public const string Prefix = "hst_";

        public static string NewSecret() =>
            Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static byte[] Fingerprint(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }
}
