// The passkey as a person types it after counting the device's buzzes, and what the app says about
// pairing, in the host's words (Client/PasskeyInput.cs, Link/PairingAdvice.cs): held to them by
// WordsParityTests. No DOM.

export const DIGITS = 6;
export const HIGHEST_DIGIT = 5;

/** How the wearer opens the pairing window (PairingAdvice.OpenWindow). */
export const OPEN_WINDOW = 'hold its button for 4 s, until it buzzes three short and one long';

/** Why a passkey entry failed, and what to do (PairingAdvice.PairingFailed). */
export const PAIRING_FAILED = 'the passkey did not match, or the pairing window had closed — the device allows one attempt per window: open it again and count the new passkey';

/** The words beside the passkey field, for a link where the app itself asks for the passkey. */
export const ENTER_PASSKEY = `the HingeSensor refuses this browser: it is not paired with it. Open the pairing window on the device (${OPEN_WINDOW}), `
  + 'count the passkey it buzzes (one long buzz, then six groups of 1 to 5 short buzzes) and type the six counts here.';

/**
 * Six digits from 1 to 5, with spaces or dashes between them if the person likes
 * (PasskeyInput.TryParse): {passkey} ("3 1 4 2 5 2" → 314252), or {error} in words.
 */
export function parsePasskey(text) {
  let passkey = 0;
  let digits = 0;
  const typed = text ?? '';
  for (let i = 0; i < typed.length; i++) { // UTF-16 units, as C# reads a string
    const c = typed[i];
    if (c === ' ' || c === '-') continue;
    if (c < '0' || c > '9') return { error: `'${c}' is not a digit: type the six counts, e.g. 3 1 4 2 5 2` };
    if (c === '0' || Number(c) > HIGHEST_DIGIT) return { error: `${c} cannot be a count: each group has 1 to ${HIGHEST_DIGIT} buzzes` };
    passkey = passkey * 10 + Number(c);
    digits++;
    if (digits > DIGITS) break;
  }
  if (digits === DIGITS) return { passkey };
  return {
    error: digits === 0
      ? 'no passkey given: type the six counts, e.g. 3 1 4 2 5 2'
      : `the passkey has six digits (six groups of buzzes), not ${digits > DIGITS ? 'more' : digits}`,
  };
}
