namespace HingeSensor.Host.Client
{
    /// <summary>
    /// The passkey as a person types it after counting the device's buzzes: six digits from 1 to 5
    /// (one per group of buzzes), with spaces or dashes between them if they like.
    /// </summary>
    public static class PasskeyInput
    {
        public const int Digits = 6;
        public const int HighestDigit = 5;

        /// <returns>True with the passkey ("3 1 4 2 5 2" → 314252); false with what was wrong, in words.</returns>
        public static bool TryParse(string? text, out int passkey, out string error)
        {
            passkey = 0;
            error = "";
            int digits = 0;
            foreach (char c in text ?? "")
            {
                if (c == ' ' || c == '-') continue;
                if (c < '0' || c > '9')
                {
                    error = $"'{c}' is not a digit: type the six counts, e.g. 3 1 4 2 5 2";
                    return false;
                }
                if (c == '0' || c > (char)('0' + HighestDigit))
                {
                    error = $"{c} cannot be a count: each group has 1 to {HighestDigit} buzzes";
                    return false;
                }
                passkey = passkey * 10 + (c - '0');
                digits++;
                if (digits > Digits) break;
            }
            if (digits == Digits) return true;
            error = digits == 0
                ? "no passkey given: type the six counts, e.g. 3 1 4 2 5 2"
                : $"the passkey has six digits (six groups of buzzes), not {(digits > Digits ? "more" : digits.ToString())}";
            passkey = 0;
            return false;
        }
    }
}
