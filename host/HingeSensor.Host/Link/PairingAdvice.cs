namespace HingeSensor.Host.Link
{
    /// <summary>The words for pairing, in one place: the button gesture and the "not paired" advice.</summary>
    public static class PairingAdvice
    {
        /// <summary>How the wearer opens the pairing window (firmware ButtonGesture, HapticPattern.PairingOpened).</summary>
        public const string OpenWindow = "hold its button for 4 s, until it buzzes three short and one long";

        /// <summary>Why a passkey entry failed, and what to do: the device allows one attempt per window (firmware PairingWindow).</summary>
        public const string PairingFailed = "the passkey did not match, or the pairing window had closed — the device allows one attempt per window: open it again and count the new passkey";

        /// <summary>"HingeSensor AA:… is not paired with this computer: open the pairing window on the device (…) and run `hinge pair --device …`".</summary>
        public static string NotPaired(string device, string pairCommand) =>
            $"{device} is not paired with this computer: open the pairing window on the device ({OpenWindow}) and run `{pairCommand}`";
    }
}
