// Runs the web app's session model and export (wwwroot/app/session-model.js, export.js) on session
// files and compares them with what `hinge history export` wrote for the same files (made by
// ExportParityTests): the CSV tables byte for byte, the JSON field by field (but for the database
// row: the session's number and when it was stored, which each store chooses).
// Usage: node export-parity.mjs CASES.json APP_FOLDER
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [casesPath, appFolder] = process.argv.slice(2);
const { sessionModel } = await import(pathToFileURL(join(appFolder, 'session-model.js')).href);
const { exportCsv, exportJson } = await import(pathToFileURL(join(appFolder, 'export.js')).href);
const { fromHex } = await import(pathToFileURL(join(appFolder, 'protocol.js')).href);

const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
let failures = 0;
const fail = (name, what) => {
  failures++;
  console.log(`FAIL ${name}: ${what}`);
};

function firstDifference(expected, actual) {
  const e = expected.split('\n'), a = actual.split('\n');
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) return `line ${i + 1}: hinge '${e[i]}', app '${a[i]}'`;
  }
  return null;
}

function sameJson(e, a, path, name) {
  if (path === '$.session.id' || path === '$.session.imported_at') return;
  const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(e) !== kind(a)) return fail(name, `${path}: ${JSON.stringify(e)} in hinge's export, ${JSON.stringify(a)} in the app's`);
  if (kind(e) === 'array') {
    if (e.length !== a.length) return fail(name, `${path}: ${e.length} items in hinge's export, ${a.length} in the app's`);
    e.forEach((x, i) => sameJson(x, a[i], `${path}[${i}]`, name));
  } else if (kind(e) === 'object') {
    const ek = Object.keys(e), ak = Object.keys(a);
    if (ek.join() !== ak.join()) return fail(name, `${path}: fields ${ek} in hinge's export, ${ak} in the app's`);
    for (const k of ek) sameJson(e[k], a[k], `${path}.${k}`, name);
  } else if (e !== a) {
    fail(name, `${path}: ${JSON.stringify(e)} in hinge's export, ${JSON.stringify(a)} in the app's`);
  }
}

for (const c of cases) {
  const model = sessionModel(fromHex(c.hex));
  const csv = exportCsv(model);
  for (const table of ['frames', 'reps', 'alerts']) {
    const d = firstDifference(c.csv[table], csv[table]);
    if (d) fail(c.name, `${table} CSV ${d}`);
  }
  sameJson(JSON.parse(c.json), JSON.parse(exportJson(model, { id: 0, importedAt: '' })), '$', c.name);
}
console.log(`${cases.length} sessions, ${failures} disagreements`);
process.exit(failures === 0 ? 0 : 1);
