// Holds the JavaScript codec (wwwroot/app/protocol.js) to golden vectors the C# code made
// (CodecGoldenTests writes them): each vector's bytes must decode to what the C# side read from
// them and encode back to the same bytes; each malformed input must be refused with a
// ProtocolError; every enum and constant of the C# protocol must be exported under its name.
//
//   node golden.mjs VECTORS.json PATH/TO/protocol.js
//
// Prints one line per disagreement and a summary; exits 1 when there is any.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [vectorsPath, modulePath] = process.argv.slice(2);
if (!vectorsPath || !modulePath) {
  console.error('usage: node golden.mjs VECTORS.json protocol.js');
  process.exit(2);
}
// Node 18 has Web Crypto only as a module; the codec looks for it where a browser keeps it.
if (!globalThis.crypto?.subtle) globalThis.crypto = (await import('node:crypto')).webcrypto;
const P = await import(pathToFileURL(modulePath).href);
const { constants, vectors } = JSON.parse(readFileSync(vectorsPath, 'utf8'));

const failures = [];
const fail = (name, message) => failures.push(`FAIL ${name}: ${message}`);
const show = (v) => (v instanceof Uint8Array ? `<${P.toHex(v)}>` : typeof v === 'bigint' ? `${v}n` : JSON.stringify(v));

// Where actual (the JavaScript's) differs from expected (the C# side's, with its tags).
function differences(actual, expected, path = '') {
  const at = path || '(value)';
  if (expected === null) return actual === null ? [] : [`${at}: ${show(actual)}, C# null`];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: ${show(actual)}, C# an array of ${expected.length}`];
    if (actual.length !== expected.length) return [`${at}: ${actual.length} items, C# ${expected.length}`];
    return expected.flatMap((e, i) => differences(actual[i], e, `${path}[${i}]`));
  }
  if (typeof expected === 'object') {
    if ('$big' in expected) return actual === BigInt(expected.$big) ? [] : [`${at}: ${show(actual)}, C# ${expected.$big}n`];
    if ('$hex' in expected) return actual instanceof Uint8Array && P.toHex(actual) === expected.$hex ? [] : [`${at}: ${show(actual)}, C# <${expected.$hex}>`];
    if ('$f32' in expected) {
      // The C# decoder's float is float(wire integer) × or ÷ a scale, in single precision.
      if (!Number.isInteger(actual)) return [`${at}: ${show(actual)} is not a wire integer`];
      const f = '$mul' in expected ? Math.fround(Math.fround(actual) * expected.$mul) : Math.fround(Math.fround(actual) / expected.$div);
      return f === expected.$f32 ? [] : [`${at}: ${actual} gives ${f}, C# read ${expected.$f32}`];
    }
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual) || actual instanceof Uint8Array) return [`${at}: ${show(actual)}, C# an object`];
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((k) => {
      if (!(k in expected)) return [`${path}.${k}: the JavaScript has it (${show(actual[k])}), C# does not`];
      if (!(k in actual)) return [`${path}.${k}: missing, C# ${show(expected[k])}`];
      return differences(actual[k], expected[k], `${path}.${k}`);
    });
  }
  return actual === expected ? [] : [`${at}: ${show(actual)}, C# ${show(expected)}`];
}

const CODECS = {
  request: [P.decodeRequest, P.encodeRequest],
  control: [P.decodeControl, P.encodeControl],
  live: [P.decodeLivePacket, P.encodeLivePacket],
  status: [P.decodeStatus, P.encodeStatus],
  config: [P.decodeConfig, P.encodeConfig],
  configNotification: [P.decodeConfigNotification, (n) => (n.readAgain ? Uint8Array.of(0) : P.encodeConfig(n.config))],
  battery: [P.decodeBattery, P.encodeBattery],
  sessionData: [P.decodeSessionData, P.encodeSessionData],
  session: [P.decodeSession, null],
  crc32: [P.crc32, null],
};

const DECODERS = {
  request: (b) => P.decodeRequest(b),
  control: (b) => P.decodeControl(b),
  live: (b) => P.decodeLivePacket(b),
  status: (b) => P.decodeStatus(b),
  config: (b) => P.decodeConfig(b),
  sessionData: (b) => P.decodeSessionData(b),
  listPage: (b, v) => P.decodeListPage(b, v.askedFirst),
  session: (b) => P.decodeSession(b),
};

// Every intact chunk of a session file, decoded and encoded again, sealed to the same bytes.
function reencodeChunks(bytes) {
  const problems = [];
  for (const c of P.readChunks(bytes).chunks) {
    const payload = bytes.subarray(c.payloadOffset, c.payloadOffset + c.payloadLength);
    const again = P.encodeChunk(c.type, c.sequence, P.encodeChunkPayload(c.type, P.decodeChunkPayload(c.type, payload)));
    const original = bytes.subarray(c.offset, c.offset + P.SessionFormat.Overhead + c.payloadLength);
    if (P.toHex(again) !== P.toHex(original)) problems.push(`chunk ${c.sequence} (type ${c.type}) encodes to <${P.toHex(again)}>, was <${P.toHex(original)}>`);
  }
  return problems;
}

async function check(v) {
  const bytes = P.fromHex(v.hex);
  if (v.kind === 'malformed') {
    let got;
    try {
      got = DECODERS[v.decoder](bytes, v);
    } catch (e) {
      if (!(e instanceof P.ProtocolError)) return fail(v.name, `threw ${e?.name}: ${e?.message} (not a ProtocolError)`);
      if (v.errorKind && e.kind !== v.errorKind) fail(v.name, `refused as '${e.kind}', the host counts it '${v.errorKind}' (${e.message})`);
      if (v.field !== undefined && e.field !== v.field) fail(v.name, `refused naming field ${e.field}, C# names ${v.field}`);
      if (v.result !== undefined && e.result !== v.result) fail(v.name, `refused with result ${e.result}, the device answers ${v.result}`);
      return;
    }
    return fail(v.name, `accepted what ${v.refusedBy} refuses: ${show(got)}`);
  }
  if (v.kind === 'sha256') {
    const digest = await P.sha256(bytes);
    return differences({ digest, tag: P.digestTag(digest) }, v.expect).forEach((d) => fail(v.name, d));
  }
  if (v.kind === 'defaultConfig') {
    const mine = P.encodeConfig(P.defaultConfig());
    if (P.toHex(mine) !== v.hex) fail(v.name, `the JavaScript defaults encode to <${P.toHex(mine)}>`);
    return differences(P.defaultConfig(), v.expect).forEach((d) => fail(v.name, d));
  }
  const [decode, encode] = CODECS[v.kind] ?? [];
  if (!decode) return fail(v.name, `no codec for vector kind ${v.kind}`);
  let decoded;
  try {
    decoded = decode(bytes);
  } catch (e) {
    return fail(v.name, `refused what C# took: ${e.message}`);
  }
  differences(decoded, v.expect).forEach((d) => fail(v.name, d));
  // As Web Bluetooth hands it over: a DataView on a larger buffer.
  const padded = new Uint8Array(bytes.length + 3);
  padded.set(bytes, 3);
  differences(decode(new DataView(padded.buffer, 3, bytes.length)), v.expect).forEach((d) => fail(v.name, `from a DataView: ${d}`));
  if (!v.reencode) return;
  try {
    if (v.kind === 'session') reencodeChunks(bytes).forEach((d) => fail(v.name, d));
    else if (encode) {
      const again = encode(decoded);
      if (P.toHex(again) !== v.hex) fail(v.name, `encodes back to <${P.toHex(again)}>, C# made <${v.hex}>`);
    }
    // A response made from its meaning (session id, field, page) rather than its raw payload.
    if (v.kind === 'control' && decoded.message === 'response' && ['sessionId', 'field', 'page'].some((k) => k in decoded)) {
      const { payload, ...typed } = decoded;
      const again = P.encodeControl(typed);
      if (P.toHex(again) !== v.hex) fail(v.name, `encodes from its fields to <${P.toHex(again)}>, C# made <${v.hex}>`);
    }
  } catch (e) {
    fail(v.name, `cannot encode what it decoded: ${e.message}`);
  }
}

// Every enum and constant type of the C# protocol, member for member, and nothing the C# lacks.
function checkConstants() {
  for (const group of ['enums', 'constants']) {
    for (const [type, members] of Object.entries(constants[group])) {
      const js = P[type];
      if (!js || typeof js !== 'object') {
        fail(`${group} ${type}`, 'the JavaScript does not export it');
        continue;
      }
      differences({ ...js }, members, type).forEach((d) => fail(`${group} ${type}`, d));
    }
  }
  for (const [name, value] of Object.entries(constants.scalars)) if (P[name] !== value) fail(`constant ${name}`, `${show(P[name])}, C# ${value}`);
  for (const code of Object.values(P.ResultCode)) if (!P.ResultWords[code]) fail(`ResultWords ${code}`, 'no words for a result code');
}

checkConstants();
for (const v of vectors) {
  try {
    await check(v);
  } catch (e) {
    fail(v.name, `crashed: ${e.stack}`);
  }
}
const byKind = {};
for (const v of vectors) byKind[v.kind] = (byKind[v.kind] ?? 0) + 1;
for (const f of failures) console.log(f);
console.log(`golden: ${vectors.length} vectors (${Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ')}), ${failures.length} disagreements`);
process.exit(failures.length === 0 ? 0 : 1);
