// The app's words (wwwroot/app/settings.js, words.js, liveview.js) against the host's sentences for
// the same inputs, written by WordsParityTests from the C# code: settings out of range, values that
// are not of their kind, several refusals at once, the banner's fault, calibration outcomes,
// coaching cues, the device's refusals, the passkey as typed and the pairing words. Usage: node words-parity.mjs CASES.json APP_FOLDER
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [casesPath, appFolder] = process.argv.slice(2);
const load = (f) => import(pathToFileURL(join(appFolder, f)).href);
const settings = await load('settings.js');
const words = await load('words.js');
const { faultText } = await load('liveview.js');
const passkey = await load('passkey.js');

const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
let failures = 0;
const same = (name, expected, actual) => {
  const e = JSON.stringify(expected), a = JSON.stringify(actual);
  if (e === a) return;
  failures++;
  console.log(`FAIL ${name}: hinge ${e}, app ${a}`);
};

for (const c of cases.outOfRange) same(`outOfRange ${c.field}`, c.expected, settings.outOfRange(c.field, c.config));
for (const c of cases.check) same(`check ${c.name}`, c.expected, settings.checkSettings(c.proposed, c.current));
for (const c of cases.parse) {
  const r = settings.applySettings(c.current, c.pairs);
  same(`parse ${JSON.stringify(c.pairs)}`, c.expected, r.problems);
  if (c.config) same(`parse ${JSON.stringify(c.pairs)} config`, c.config, r.config);
}
for (const c of cases.faults) same(`fault mask ${c.mask}`, c.expected, faultText(c.mask) ?? 'none');
for (const c of cases.calibration) same(`calibration status ${c.status}`, c.expected, words.calibrationStatusText(c.status));
for (const c of cases.cues) same(`cue ${c.cue} ${c.value}`, c.expected, words.cueText(c.cue, c.value));
for (const c of cases.refusals) same(`refusal 0x${c.opcode.toString(16)} ${c.result}`, c.expected, words.refusal(c.opcode, c.result, c.details));
for (const c of cases.passkeys) same(`passkey ${JSON.stringify(c.typed)}`, c.expected, passkey.parsePasskey(c.typed));
for (const c of cases.pairing) same(`pairing ${c.name}`, c.expected, passkey[c.name]);
const total = Object.values(cases).reduce((n, list) => n + list.length, 0);
console.log(`${total} cases, ${failures} disagreements`);
process.exit(failures === 0 ? 0 : 1);
