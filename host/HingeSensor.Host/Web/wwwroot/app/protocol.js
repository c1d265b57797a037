// The HingeSensor wire protocol (docs/protocol.md) for the web app: constants, encoders for what
// a host sends, decoders for what a device sends, the session file, CRC-32 and the session digest.
// One ES module with no DOM and no dependencies, so that it runs the same in the browser and under
// node, where tests/HingeSensor.Web.Tests holds it to the C# encoders byte for byte (golden
// vectors made by the C# code at test time; docs/web-app.md).
//
// Conventions, chosen so that nothing is lost between bytes and objects:
// - Every number is in its wire unit, named in the field (cdeg = 0.01°, tenthsDeg = 0.1°, ms, mm,
//   q15 = value × 32767); converting to degrees is the caller's business.
// - 64-bit fields (unix times, session identities) are BigInt: a JavaScript number cannot hold them.
// - Byte strings (digest tags, session data, payloads) are Uint8Array.
// - A decoder refuses what the host's C# decoder refuses, with a ProtocolError saying what is
//   wrong; an encoder refuses a value its field cannot carry rather than cut or wrap it.

// ---------------------------------------------------------------------------------------------
// Errors

/** What a decoder refused, or what an encoder could not write. */
export class ProtocolError extends Error {
  /**
   * @param {string} message what is wrong, for a person
   * @param {'short'|'inconsistent'|'unknown'|'invalid'} kind as the host counts malformed
   *   notifications (short, inconsistent, unknown opcode or event); 'invalid' for encoder input
   * @param {{field?: number, result?: number}} [details] field: the ConfigField a config record
   *   is wrong in; result: for a request, the ResultCode the device answers it with
   */
  constructor(message, kind, details = {}) {
    super(message);
    this.name = 'ProtocolError';
    this.kind = kind;
    if (details.field !== undefined) this.field = details.field;
    if (details.result !== undefined) this.result = details.result;
  }
}

const short = (what) => new ProtocolError(what, 'short');
const inconsistent = (what) => new ProtocolError(what, 'inconsistent');
const invalid = (what) => new ProtocolError(what, 'invalid');

// ---------------------------------------------------------------------------------------------
// Constants. Each object has the name and the members of its C# twin in shared/HingeSensor.Protocol
// (or the algorithm enums the protocol carries); a test compares them by reflection both ways.

const freeze = Object.freeze;

export const GattIds = freeze({
  HingeService: '6f4a0001-8c3b-4e47-9d2a-48494e474501',
  Live: '6f4a0002-8c3b-4e47-9d2a-48494e474501',
  Control: '6f4a0003-8c3b-4e47-9d2a-48494e474501',
  Config: '6f4a0004-8c3b-4e47-9d2a-48494e474501',
  Status: '6f4a0005-8c3b-4e47-9d2a-48494e474501',
  SessionData: '6f4a0006-8c3b-4e47-9d2a-48494e474501',
  DeviceInformationService: 0x180a,
  ManufacturerName: 0x2a29,
  ModelNumber: 0x2a24,
  SerialNumber: 0x2a25,
  HardwareRevision: 0x2a27,
  FirmwareRevision: 0x2a26,
  BatteryService: 0x180f,
  BatteryLevel: 0x2a19,
  AttNotifyOverhead: 3,
  MinimumMtu: 23,
});

export const Opcode = freeze({
  Identify: 0x01, SetTime: 0x02,
  CalibrateNeutral: 0x10, CalibrateHinge: 0x11, CalibrateRange: 0x12,
  StartRecording: 0x20, StopRecording: 0x21,
  ListSessions: 0x30, Download: 0x31, AbortDownload: 0x32, MarkDownloaded: 0x33, EraseSession: 0x34,
  WriteConfig: 0x40, ResetConfig: 0x41,
});

export const ResultCode = freeze({
  Success: 0, Accepted: 1, UnknownOpcode: 2, InvalidLength: 3, InvalidParameter: 4, Busy: 5,
  InsufficientSecurity: 6, NotFound: 7, StorageFull: 8, NotCalibrated: 9, DigestMismatch: 10,
  NotDownloaded: 11, InvalidState: 12, InternalError: 13,
});

/** What each result means (docs/protocol.md §6.8), for a person. */
export const ResultWords = freeze({
  0: 'done',
  1: 'accepted: an event will report the outcome',
  2: 'the device does not know this request (its firmware is older than this app)',
  3: 'the request has the wrong length',
  4: 'a value in the request is out of range',
  5: 'the device is busy: try again in a moment',
  6: 'this device is not paired with this computer: open its pairing window and pair',
  7: 'no such session on the device',
  8: 'the device storage is full',
  9: 'calibrate the neutral stance and the hinge first',
  10: 'the device copy of this session is not the one stored here (digest mismatch)',
  11: 'the session was never downloaded',
  12: 'not possible in the state the device is in',
  13: 'the device failed (a flash write or read)',
});

/** A result code as words; an unknown one is a failure too (docs/protocol.md §1). */
export function resultWord(code) {
  return ResultWords[code] ?? `unknown result code ${code}`;
}

export const ControlMessage = freeze({ Response: 0xf0, Event: 0xf1 });

export const DeviceEvent = freeze({
  CalibrationDone: 1, DownloadDone: 2, RecordingStopped: 3, SensorHealth: 4, Alignment: 5,
  DownloadFailed: 6, Cue: 7,
});

export const ConfigField = freeze({
  None: 0, Length: 1, Version: 2, BackRoundingDeg: 3, BackRoundingPercent: 4, ChinDropDeg: 5,
  HeadUpDeg: 6, HysteresisDeg: 7, PersistenceMs: 8, GateOpenDeg: 9, GateCloseDeg: 10, ReminderS: 11,
  CooldownS: 12, HapticIntensity: 13, RecordRateHz: 14, LiveRateHz: 15, HeightCm: 16, DeviceName: 17,
  Flags: 18, Exercise: 19, DepthTargetDeg: 20, DescentTargetS: 21,
});

export const SensorState = freeze({ Ok: 0, Retrying: 1, Absent: 2, Starting: 3 });
export const RecordingState = freeze({ Idle: 0, Recording: 1, StoppedStorageFull: 2 });
export const SessionEventKind = freeze({ Alignment: 1, Calibration: 2, SensorHealth: 3, Phase: 4, Cue: 5 });
export const Fault = freeze({ None: 0, BackRounding: 1, ChinDrop: 2, HeadUp: 3 });
export const AlignmentEventKind = freeze({ Started: 1, Reminder: 2, Corrected: 3, Ended: 4 });
export const CalibrationStep = freeze({ None: 0, Neutral: 1, Hinge: 2, Range: 3 });
export const CalibrationStatus = freeze({
  Ok: 0, NotEnoughData: 1, MovedDuringNeutral: 2, TwistedNotHinged: 3, NotASingleAxis: 4,
  HingeTooShallow: 5, NeedsNeutral: 6, RangeTooShallow: 7, SensorMissing: 8, NeedsHinge: 9,
  Inconsistent: 10,
});
export const RepPhase = freeze({ Standing: 0, Descending: 1, Bottom: 2, Ascending: 3 });
export const Segment = freeze({ Head: 0, UpperBack: 1, Sacrum: 2 });
export const CoachingCue = freeze({
  None: 0, DepthReached: 1, Squatting: 2, FastDescent: 3, IncompleteLockout: 4, LeaningBack: 5,
});
export const Exercise = freeze({ Hinge: 0, Squat: 1, Any: 2 });
export const RepPattern = freeze({ Unknown: 0, Hinge: 1, Squat: 2, Stoop: 3 });
export const Lockout = freeze({ Unknown: 0, Ok: 1, Incomplete: 2, OverExtension: 3 });
/** Why a recording ended (RecordingStopped event, End chunk). */
export const StopReason = freeze({ None: 0, StorageFull: 1, Requested: 2, Error: 3 });

export const DeviceConfig = freeze({
  Version: 2, VersionWithoutCoaching: 1, MaxNameBytes: 20,
  MinThresholdTenthsDeg: 50, MaxThresholdTenthsDeg: 900,
  MinBackRoundingPercent: 20, MaxBackRoundingPercent: 100,
  MaxHysteresisTenthsDeg: 200, MaxPersistenceMs: 5000, MaxGateOpenTenthsDeg: 1200,
  MaxIntervalTenthsS: 600, MaxHapticIntensityPercent: 100, MinHeightCm: 100, MaxHeightCm: 250,
  MinDepthTargetTenthsDeg: 300, MaxDepthTargetTenthsDeg: 1200, MaxDescentTargetTenthsS: 100,
  FlagQuiet: 1, FlagPostureMode: 2, FlagRangePercent: 4, FlagDepthCue: 8, FlagOwnDepth: 16,
  ReportRateHz: 25, FixedLength: 30, MinEncodedLength: 31, MaxEncodedLength: 50,
  MinEncodedLengthWithoutCoaching: 27,
});

export const DeviceStatus = freeze({
  Version: 1, EssentialLength: 19, EncodedLength: 32, OffsetBatteryMillivolts: 2, OffsetStorageUsed: 13,
  CalNeutral: 1, CalHinge: 2, CalRange: 4,
  FlagConfigReset: 1, FlagTimeSet: 2, FlagStorageFull: 4, FlagQuiet: 8, FlagStorageRecovered: 16,
  FlagRecordRefused: 32,
});

export const LivePacket = freeze({
  KindFull: 1, KindCompact: 2, HeaderBytes: 2, FullFrameBytes: 44, CompactFrameBytes: 18,
  MaxPhase: 3, FaultBits: 0x0e, ValidBits: 0x07, MaxFramesPerPacket: 4,
});

export const SessionEntry = freeze({
  EncodedLength: 27, CompactLength: 7,
  FlagClosed: 1, FlagDownloaded: 2, FlagRecording: 4, FlagRecovered: 8, FlagDamaged: 16,
  FlagDigestPending: 32,
});

export const SessionFormat = freeze({
  Magic0: 0x48, Magic1: 0x53, HeaderBytes: 9, CrcBytes: 4, Overhead: 13, MaxPayload: 1024,
  FormatVersion: 2, OldestFormatVersion: 1, MaxSessionBytes: 16 * 1024 * 1024, DigestTagBytes: 12,
  ChunkHeader: 1, ChunkFrames: 2, ChunkEvents: 3, ChunkRep: 4, ChunkEnd: 5,
});

export const SessionHeader = freeze({ MaxSerial: 16 });
export const SessionEvent = freeze({ EncodedLength: 10 });
export const SessionRep = freeze({ EncodedLength: 34, EncodedLengthV1: 28 });
export const SessionFrames = freeze({ AnglesPerFrame: 6, PrefixBytes: 6, MaxDeltaFrameBytes: 18 });
// Version 3 (with each accelerometer's offset) is the device's own store; session headers carry version 2.
export const CalibrationRecord = freeze({ Version: 3, EncodedLength: 84, EncodedLengthV2: 66, EncodedLengthV1: 48 });
export const Crc32 = freeze({ Start: 0xffffffff });
export const Sha256 = freeze({ BlockBytes: 64, DigestBytes: 32, MaxPaddingBytes: 72 });

// ---------------------------------------------------------------------------------------------
// Bytes

/** Lower-case hex, two digits a byte, no separators. */
export function toHex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Bytes from hex (white space allowed between pairs, as docs/protocol.md prints them). */
export function fromHex(hex) {
  const h = hex.replace(/\s+/g, '');
  if (h.length % 2 !== 0 || /[^0-9a-fA-F]/.test(h)) throw invalid(`"${hex}" is not hex bytes`);
  const b = new Uint8Array(h.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(h.substr(2 * i, 2), 16);
  return b;
}

// Web Bluetooth hands a characteristic's value over as a DataView, files and tests have a
// Uint8Array or an ArrayBuffer: every decoder takes any of them.
function asBytes(value) {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw invalid('bytes are a Uint8Array, an ArrayBuffer or a DataView');
}

// Reads little-endian fields from bytes[start, end); running past the end throws (short), which
// is where the C# ByteReader sets Ok false and its decoders refuse.
class Reader {
  constructor(bytes, what, start = 0, end = bytes.length) {
    this.b = bytes;
    this.p = start;
    this.end = end;
    this.what = what;
  }

  get remaining() { return this.end - this.p; }

  take(n) {
    if (this.p + n > this.end) throw short(`${this.what} ends before all its fields (${this.end - this.p} bytes left, ${n} needed)`);
    const at = this.p;
    this.p += n;
    return at;
  }

  u8() { return this.b[this.take(1)]; }
  u16() { const p = this.take(2); return this.b[p] | (this.b[p + 1] << 8); }
  i16() { const v = this.u16(); return v >= 0x8000 ? v - 0x10000 : v; }
  u32() { const p = this.take(4); return (this.b[p] | (this.b[p + 1] << 8) | (this.b[p + 2] << 16) | (this.b[p + 3] << 24)) >>> 0; }
  i32() { return this.u32() | 0; }
  u64() { const lo = BigInt(this.u32()); return lo | (BigInt(this.u32()) << 32n); }
  i64() { return BigInt.asIntN(64, this.u64()); }
  bytes(n) { const p = this.take(n); return this.b.slice(p, p + n); }

  // Unsigned LEB128, at most 5 bytes, as ByteReader.VarUInt: a fifth byte's bits beyond 32 are
  // dropped, a sixth byte is refused.
  varUInt() {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift > 28) throw inconsistent(`${this.what}: a varint longer than 5 bytes`);
      const b = this.u8();
      v = (v | ((b & 0x7f) << shift)) >>> 0;
      if ((b & 0x80) === 0) return v;
    }
  }

  // Zigzag: 0, 1, 2, 3 … → 0, −1, 1, −2 … (32-bit, as ByteReader.VarInt).
  varInt() { const z = this.varUInt(); return ((z >>> 1) ^ -(z & 1)) | 0; }
}

// Writes little-endian fields; each checks that its value fits the wire type, so a caller's
// mistake is an error here instead of a different number on the device.
class Writer {
  constructor(what) {
    this.bytes = [];
    this.what = what;
  }

  int(v, min, max, name) {
    if (!Number.isInteger(v) || v < min || v > max) throw invalid(`${this.what}: ${name} = ${v} does not fit (${min} to ${max})`);
    return v;
  }

  u8(v, name) { this.bytes.push(this.int(v, 0, 0xff, name)); }
  u16(v, name) { v = this.int(v, 0, 0xffff, name); this.bytes.push(v & 0xff, v >>> 8); }
  i16(v, name) { this.u16(this.int(v, -0x8000, 0x7fff, name) & 0xffff, name); }
  u32(v, name) { v = this.int(v, 0, 0xffffffff, name); this.bytes.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24); }
  i32(v, name) { this.u32(this.int(v, -0x80000000, 0x7fffffff, name) >>> 0, name); }

  u64(v, name) {
    const big = this.big(v, 0n, (1n << 64n) - 1n, name);
    this.u32(Number(big & 0xffffffffn), name);
    this.u32(Number(big >> 32n), name);
  }

  i64(v, name) { this.u64(BigInt.asUintN(64, this.big(v, -(1n << 63n), (1n << 63n) - 1n, name)), name); }

  big(v, min, max, name) {
    if (typeof v === 'number' && Number.isSafeInteger(v)) v = BigInt(v);
    if (typeof v !== 'bigint' || v < min || v > max) throw invalid(`${this.what}: ${name} = ${v} does not fit (${min} to ${max})`);
    return v;
  }

  raw(bytes, length, name) {
    if (!(bytes instanceof Uint8Array) || (length !== undefined && bytes.length !== length)) {
      throw invalid(`${this.what}: ${name} must be ${length === undefined ? '' : length + ' '}bytes (a Uint8Array)`);
    }
    for (const b of bytes) this.bytes.push(b);
  }

  varUInt(v) {
    while (v >= 0x80) {
      this.bytes.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.bytes.push(v);
  }

  varInt(v) { this.varUInt(((v << 1) ^ (v >> 31)) >>> 0); }

  done() { return Uint8Array.from(this.bytes); }
}

// ---------------------------------------------------------------------------------------------
// CRC-32 and the session digest (docs/protocol.md Appendix B)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib) of bytes[start, end). */
export function crc32(bytes, start = 0, end = undefined) {
  bytes = asBytes(bytes);
  if (end === undefined) end = bytes.length;
  let c = Crc32.Start;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * SHA-256 of bytes — a session's digest when they are the session file's bytes 0 … length − 1,
 * holes included (what the host de-duplicates by and MarkDownloaded carries the tag of). Web
 * Crypto, which every context that has Web Bluetooth has (both need a secure context).
 */
export async function sha256(bytes) {
  bytes = asBytes(bytes);
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new ProtocolError('SHA-256 needs Web Crypto (crypto.subtle), which only a secure context (https, localhost) has', 'invalid');
  return new Uint8Array(await subtle.digest('SHA-256', bytes));
}

/** The digest tag: the first 12 bytes of a SHA-256, as DownloadDone, MarkDownloaded and EraseSession carry it. */
export function digestTag(digest) {
  if (!(digest instanceof Uint8Array) || digest.length < SessionFormat.DigestTagBytes) throw invalid('a digest tag is taken from a SHA-256 digest (32 bytes)');
  return digest.slice(0, SessionFormat.DigestTagBytes);
}

/** An all-zero tag: the device did not have the digest yet (DownloadDone, §10.3). */
export function isZeroTag(tag) {
  return tag.every((b) => b === 0);
}

// ---------------------------------------------------------------------------------------------
// Control point requests (host → device, docs/protocol.md §6)

/** The longest request the control point takes (ControlPoint.MaxRequest). */
export const MaxRequestBytes = 64;

// Parameter bytes per opcode; WriteConfig's record has a range instead (ControlPoint.ParameterLength).
const REQUEST_PARAMETERS = freeze({
  [Opcode.Identify]: 0, [Opcode.SetTime]: 8,
  [Opcode.CalibrateNeutral]: 0, [Opcode.CalibrateHinge]: 0, [Opcode.CalibrateRange]: 0,
  [Opcode.StartRecording]: 0, [Opcode.StopRecording]: 0,
  [Opcode.ListSessions]: 2, [Opcode.Download]: 6, [Opcode.AbortDownload]: 0,
  [Opcode.MarkDownloaded]: 2 + SessionFormat.DigestTagBytes, [Opcode.EraseSession]: 3 + SessionFormat.DigestTagBytes,
  [Opcode.ResetConfig]: 0,
});

const opcodeName = (op) => Object.keys(Opcode).find((k) => Opcode[k] === op) ?? `0x${op.toString(16)}`;

/**
 * A request's bytes: [opcode][id][parameters]. Fields by opcode: SetTime {unixMs}, ListSessions
 * {first}, Download {session, offset}, MarkDownloaded {session, tag}, EraseSession {session, force,
 * tag}, WriteConfig {config}; the others none. The id is the caller's (0–255), echoed in the answer.
 */
export function encodeRequest(request) {
  const { opcode, id } = request;
  if (!Object.values(Opcode).includes(opcode)) throw invalid(`no such opcode: ${opcode}`);
  const w = new Writer(`request ${opcodeName(opcode)}`);
  w.u8(opcode, 'opcode');
  w.u8(id, 'id');
  switch (opcode) {
    case Opcode.SetTime: w.i64(request.unixMs, 'unixMs'); break;
    case Opcode.ListSessions: w.u16(request.first, 'first'); break;
    case Opcode.Download: w.u16(request.session, 'session'); w.u32(request.offset, 'offset'); break;
    case Opcode.MarkDownloaded: w.u16(request.session, 'session'); w.raw(request.tag, SessionFormat.DigestTagBytes, 'tag'); break;
    case Opcode.EraseSession:
      w.u16(request.session, 'session');
      if (typeof request.force !== 'boolean') throw invalid('request EraseSession: force must be true or false');
      w.u8(request.force ? 1 : 0, 'force');
      w.raw(request.tag, SessionFormat.DigestTagBytes, 'tag');
      break;
    case Opcode.WriteConfig: w.raw(encodeConfig(request.config), undefined, 'config'); break;
    default: break;
  }
  return w.done();
}

/**
 * A request as the device reads it: the control point's checks in its order (ControlPoint.OnWrite:
 * length, opcode, parameter length), then the parameters; a WriteConfig record must validate. A
 * refusal carries the result the device answers (InvalidLength, UnknownOpcode, InvalidParameter
 * with the config field).
 */
export function decodeRequest(bytes) {
  bytes = asBytes(bytes);
  const refuse = (what, kind, result) => new ProtocolError(what, kind, { result });
  if (bytes.length < 2) throw refuse(`a request of ${bytes.length} bytes (at least opcode and id)`, 'short', ResultCode.InvalidLength);
  const opcode = bytes[0];
  const id = bytes[1];
  const params = bytes.length - 2;
  if (opcode === Opcode.WriteConfig) {
    if (params < DeviceConfig.MinEncodedLength || params > DeviceConfig.MaxEncodedLength) {
      throw refuse(`WriteConfig with ${params} parameter bytes (a record is ${DeviceConfig.MinEncodedLength}–${DeviceConfig.MaxEncodedLength})`, 'inconsistent', ResultCode.InvalidLength);
    }
    try {
      return { opcode, id, config: decodeConfig(bytes.subarray(2)) };
    } catch (e) {
      if (e instanceof ProtocolError && e.field !== undefined) throw new ProtocolError(e.message, e.kind, { field: e.field, result: ResultCode.InvalidParameter });
      throw e;
    }
  }
  const expect = REQUEST_PARAMETERS[opcode];
  if (expect === undefined) throw refuse(`unknown opcode 0x${opcode.toString(16)}`, 'unknown', ResultCode.UnknownOpcode);
  if (params !== expect) throw refuse(`${opcodeName(opcode)} with ${params} parameter bytes (it takes ${expect})`, 'inconsistent', ResultCode.InvalidLength);
  const r = new Reader(bytes, `request ${opcodeName(opcode)}`, 2);
  switch (opcode) {
    case Opcode.SetTime: return { opcode, id, unixMs: r.i64() };
    case Opcode.ListSessions: return { opcode, id, first: r.u16() };
    case Opcode.Download: return { opcode, id, session: r.u16(), offset: r.u32() };
    case Opcode.MarkDownloaded: return { opcode, id, session: r.u16(), tag: r.bytes(SessionFormat.DigestTagBytes) };
    case Opcode.EraseSession: return { opcode, id, session: r.u16(), force: r.u8() !== 0, tag: r.bytes(SessionFormat.DigestTagBytes) };
    default: return { opcode, id };
  }
}

// ---------------------------------------------------------------------------------------------
// Control notifications (device → host): responses (§6.2) and events (§7)

// Each event's payload: its length and how to read, write and check it (DeviceEventCheck).
const EVENTS = freeze({
  [DeviceEvent.CalibrationDone]: {
    length: 8,
    read: (r) => {
      const step = r.u8(), status = r.u8(), segment = r.u8();
      return { step, status, failedSegment: segment === 0xff ? -1 : segment, quality: [r.u8(), r.u8(), r.u8()], rangeTrunkFlexionCdeg: r.i16() };
    },
    problem: (e) => (e.step < CalibrationStep.Neutral || e.step > CalibrationStep.Range ? `CalibrationDone for step ${e.step}`
      : !Object.values(CalibrationStatus).includes(e.status) ? `CalibrationDone with status ${e.status}`
        : e.failedSegment > 2 ? `CalibrationDone naming sensor ${e.failedSegment}` : null),
    write: (w, e) => {
      w.u8(e.step, 'step'); w.u8(e.status, 'status');
      w.u8(e.failedSegment === -1 ? 0xff : e.failedSegment, 'failedSegment');
      if (!Array.isArray(e.quality) || e.quality.length !== 3) throw invalid('CalibrationDone: quality is three numbers 0–255');
      for (const q of e.quality) w.u8(q, 'quality');
      w.i16(e.rangeTrunkFlexionCdeg, 'rangeTrunkFlexionCdeg');
    },
  },
  [DeviceEvent.DownloadDone]: {
    length: 6 + SessionFormat.DigestTagBytes,
    read: (r) => ({ session: r.u16(), length: r.u32(), tag: r.bytes(SessionFormat.DigestTagBytes) }),
    problem: () => null,
    write: (w, e) => { w.u16(e.session, 'session'); w.u32(e.length, 'length'); w.raw(e.tag, SessionFormat.DigestTagBytes, 'tag'); },
  },
  [DeviceEvent.RecordingStopped]: {
    length: 3,
    read: (r) => ({ session: r.u16(), reason: r.u8() }),
    problem: (e) => (e.reason < StopReason.StorageFull || e.reason > StopReason.Error ? `RecordingStopped for reason ${e.reason}` : null),
    write: (w, e) => { w.u16(e.session, 'session'); w.u8(e.reason, 'reason'); },
  },
  [DeviceEvent.SensorHealth]: {
    length: 2,
    read: (r) => ({ segment: r.u8(), state: r.u8() }),
    problem: (e) => (e.segment > 2 || !Object.values(SensorState).includes(e.state) ? `SensorHealth of sensor ${e.segment} in state ${e.state}` : null),
    write: (w, e) => { w.u8(e.segment, 'segment'); w.u8(e.state, 'state'); },
  },
  [DeviceEvent.Alignment]: {
    length: 8,
    read: (r) => ({ kind: r.u8(), fault: r.u8(), timeMs: r.u32(), peakCdeg: r.i16() }),
    problem: (e) => (!Object.values(AlignmentEventKind).includes(e.kind) || e.fault < Fault.BackRounding || e.fault > Fault.HeadUp
      ? `Alignment event ${e.kind} for fault ${e.fault}` : null),
    write: (w, e) => { w.u8(e.kind, 'kind'); w.u8(e.fault, 'fault'); w.u32(e.timeMs, 'timeMs'); w.i16(e.peakCdeg, 'peakCdeg'); },
  },
  [DeviceEvent.DownloadFailed]: {
    length: 7,
    read: (r) => ({ session: r.u16(), offset: r.u32(), result: r.u8() }),
    problem: (e) => (!Object.values(ResultCode).includes(e.result) ? `DownloadFailed with result ${e.result}` : null),
    write: (w, e) => { w.u16(e.session, 'session'); w.u32(e.offset, 'offset'); w.u8(e.result, 'result'); },
  },
  [DeviceEvent.Cue]: {
    length: 8,
    // valueHundredths: the cue's measurement × 100 (depth in °, descent in s, torso angle in °, pelvis share 0–1).
    read: (r) => ({ cue: r.u8(), rep: r.u8(), timeMs: r.u32(), valueHundredths: r.i16() }),
    problem: (e) => (e.cue < CoachingCue.DepthReached || e.cue > CoachingCue.LeaningBack ? `Cue ${e.cue}` : null),
    write: (w, e) => { w.u8(e.cue, 'cue'); w.u8(e.rep, 'rep'); w.u32(e.timeMs, 'timeMs'); w.i16(e.valueHundredths, 'valueHundredths'); },
  },
});

const eventName = (kind) => Object.keys(DeviceEvent).find((k) => DeviceEvent[k] === kind);

/**
 * A Control notification. A response is {message: 'response', opcode, id, result, payload} with,
 * where the protocol gives the payload a meaning, sessionId (StartRecording Success; null if the
 * payload is short), field (WriteConfig InvalidParameter: the ConfigField) or page (ListSessions
 * Success). An event is {message: 'event', event, …its fields}. Refused as the host refuses them
 * (DeviceClient.OnControl, DeviceEventCheck); an unknown event kind is 'unknown': ignore it.
 */
export function decodeControl(bytes) {
  bytes = asBytes(bytes);
  if (bytes.length < 2) throw short(`a control notification of ${bytes.length} bytes`);
  if (bytes[0] === ControlMessage.Response) {
    if (bytes.length < 4) throw short(`a response of ${bytes.length} bytes (at least 4)`);
    const m = { message: 'response', opcode: bytes[1], id: bytes[2], result: bytes[3], payload: bytes.slice(4) };
    return { ...m, ...responsePayload(m) };
  }
  if (bytes[0] === ControlMessage.Event) {
    const event = bytes[1];
    const spec = EVENTS[event];
    if (!spec) throw new ProtocolError(`unknown event kind ${event}`, 'unknown');
    const length = bytes.length - 2;
    if (length !== spec.length) {
      const what = `${eventName(event)} event of ${length} bytes (it has ${spec.length})`;
      throw length < spec.length ? short(what) : inconsistent(what);
    }
    const fields = spec.read(new Reader(bytes, `${eventName(event)} event`, 2));
    const problem = spec.problem(fields);
    if (problem) throw inconsistent(problem);
    return { message: 'event', event, ...fields };
  }
  throw new ProtocolError(`control message 0x${bytes[0].toString(16)}`, 'unknown');
}

// What a response's payload means, for the opcodes and results that have one (§6.6).
function responsePayload(m) {
  if (m.opcode === Opcode.StartRecording && m.result === ResultCode.Success) {
    return { sessionId: m.payload.length >= 2 ? m.payload[0] | (m.payload[1] << 8) : null };
  }
  if (m.opcode === Opcode.WriteConfig && m.result === ResultCode.InvalidParameter) {
    return { field: m.payload.length > 0 ? m.payload[0] : ConfigField.None };
  }
  if (m.opcode === Opcode.ListSessions && m.result === ResultCode.Success) return { page: decodeListPage(m.payload) };
  return {};
}

/**
 * A Control notification's bytes, from what decodeControl returns. A response's payload is the
 * `payload` bytes when given, else made from sessionId, field or page.
 */
export function encodeControl(m) {
  if (m.message === 'response') {
    const w = new Writer(`response to ${opcodeName(m.opcode)}`);
    w.u8(ControlMessage.Response, 'message');
    w.u8(m.opcode, 'opcode');
    w.u8(m.id, 'id');
    w.u8(m.result, 'result');
    if (m.payload !== undefined) w.raw(m.payload, undefined, 'payload');
    else if (m.page !== undefined) w.raw(encodeListPage(m.page), undefined, 'page');
    else if (m.sessionId !== undefined && m.sessionId !== null) w.u16(m.sessionId, 'sessionId');
    else if (m.field !== undefined) w.u8(m.field, 'field');
    return w.done();
  }
  if (m.message === 'event') {
    const spec = EVENTS[m.event];
    if (!spec) throw invalid(`no such event: ${m.event}`);
    const problem = spec.problem(m);
    if (problem) throw invalid(problem);
    const w = new Writer(`${eventName(m.event)} event`);
    w.u8(ControlMessage.Event, 'message');
    w.u8(m.event, 'event');
    spec.write(w, m);
    return w.done();
  }
  throw invalid(`a control message is a 'response' or an 'event', not ${m.message}`);
}

// ---------------------------------------------------------------------------------------------
// Session list pages (§10.2)

/** Entries one ListSessions page holds at most. */
export const MaxEntriesPerPage = 8;

/**
 * A ListSessions response payload: {total, first, compact, entries}. Full entries are {id,
 * startUnixMs, length, uid, flags, durationS}, compact ones {id, length, flags}. Refused as the
 * host refuses a page (ListSessionsAsync): more than 8 entries, or a length that is not exactly
 * the entries; with askedFirst, a page that does not start where it was asked to.
 */
export function decodeListPage(payload, askedFirst) {
  payload = asBytes(payload);
  const r = new Reader(payload, 'session list page');
  const total = r.u16();
  const first = r.u16();
  const n = r.u8();
  const compact = (n & 0x80) !== 0;
  const count = n & 0x7f;
  const size = compact ? SessionEntry.CompactLength : SessionEntry.EncodedLength;
  if (count > MaxEntriesPerPage || r.remaining !== count * size) {
    throw inconsistent(`a session list page with ${count} ${compact ? 'compact' : 'full'} entries in ${payload.length} bytes`);
  }
  if (askedFirst !== undefined && first !== askedFirst) throw inconsistent(`a session list page from ${first}, asked from ${askedFirst}`);
  const entries = [];
  for (let i = 0; i < count; i++) {
    entries.push(compact
      ? { id: r.u16(), length: r.i32(), flags: r.u8() }
      : { id: r.u16(), startUnixMs: r.i64(), length: r.i32(), uid: r.u64(), flags: r.u8(), durationS: r.i32() });
  }
  return { total, first, compact, entries };
}

export function encodeListPage(page) {
  const w = new Writer('session list page');
  if (!Array.isArray(page.entries) || page.entries.length > MaxEntriesPerPage) throw invalid(`a session list page holds 0–${MaxEntriesPerPage} entries`);
  w.u16(page.total, 'total');
  w.u16(page.first, 'first');
  w.u8(page.entries.length | (page.compact ? 0x80 : 0), 'n');
  for (const e of page.entries) {
    w.u16(e.id, 'id');
    if (!page.compact) w.i64(e.startUnixMs, 'startUnixMs');
    w.i32(e.length, 'length');
    if (!page.compact) w.u64(e.uid, 'uid');
    w.u8(e.flags, 'flags');
    if (!page.compact) w.i32(e.durationS, 'durationS');
  }
  return w.done();
}

// ---------------------------------------------------------------------------------------------
// Live stream (§8)

const frameBytes = (kind) => (kind === LivePacket.KindFull ? LivePacket.FullFrameBytes : LivePacket.CompactFrameBytes);

/**
 * A Live notification: {kind, frames}. A frame is {sequence, timeMs, head, upperBack, sacrum
 * (quaternions w, x, y, z in Q15; null in compact frames, which do not carry them),
 * trunkFlexionCdeg, headFlexionCdeg, hingeCdeg, torsoCdeg, dowelGapMm, phase, faultMask,
 * validMask, repCount}. Refused as LivePacket.Read refuses: unknown kind, 0 or more than 4 frames,
 * a length that is not the frames, a full frame whose phase or masks are outside the protocol.
 */
export function decodeLivePacket(bytes) {
  bytes = asBytes(bytes);
  if (bytes.length < LivePacket.HeaderBytes) throw short(`a live packet of ${bytes.length} bytes`);
  const kind = bytes[0];
  const count = bytes[1];
  if (kind !== LivePacket.KindFull && kind !== LivePacket.KindCompact) throw inconsistent(`a live packet of kind ${kind}`);
  if (count < 1 || count > LivePacket.MaxFramesPerPacket || bytes.length !== LivePacket.HeaderBytes + count * frameBytes(kind)) {
    throw inconsistent(`a live packet of ${count} frames in ${bytes.length} bytes`);
  }
  const r = new Reader(bytes, 'live packet', LivePacket.HeaderBytes);
  const frames = [];
  for (let i = 0; i < count; i++) frames.push(readLiveFrame(r, kind));
  return { kind, frames };
}

function readLiveFrame(r, kind) {
  const full = kind === LivePacket.KindFull;
  const f = { sequence: r.u16(), timeMs: r.u32() };
  const quat = () => [r.i16(), r.i16(), r.i16(), r.i16()];
  f.head = full ? quat() : null;
  f.upperBack = full ? quat() : null;
  f.sacrum = full ? quat() : null;
  f.trunkFlexionCdeg = r.i16();
  f.headFlexionCdeg = r.i16();
  f.hingeCdeg = r.i16();
  f.torsoCdeg = r.i16();
  f.dowelGapMm = r.u16();
  if (full) {
    f.phase = r.u8();
    f.faultMask = r.u8();
    f.validMask = r.u8();
    const problem = liveStateProblem(f);
    if (problem) throw inconsistent(problem);
  } else {
    // phase (2 bits) | faults without the None bit (3 bits) | valid (3 bits)
    const s = r.u8();
    f.phase = s & 3;
    f.faultMask = ((s >> 2) & 7) << 1;
    f.validMask = (s >> 5) & 7;
  }
  f.repCount = r.u8();
  return f;
}

function liveStateProblem(f) {
  if (f.phase > LivePacket.MaxPhase) return `a live frame in phase ${f.phase}`;
  if ((f.faultMask & ~LivePacket.FaultBits) !== 0) return `a live frame with fault mask 0x${f.faultMask.toString(16)}`;
  if ((f.validMask & ~LivePacket.ValidBits) !== 0) return `a live frame with valid mask 0x${f.validMask.toString(16)}`;
  return null;
}

export function encodeLivePacket(packet) {
  const { kind, frames } = packet;
  if (kind !== LivePacket.KindFull && kind !== LivePacket.KindCompact) throw invalid(`no such live packet kind: ${kind}`);
  if (!Array.isArray(frames) || frames.length < 1 || frames.length > LivePacket.MaxFramesPerPacket) throw invalid('a live packet holds 1–4 frames');
  const w = new Writer('live packet');
  w.u8(kind, 'kind');
  w.u8(frames.length, 'count');
  const full = kind === LivePacket.KindFull;
  for (const f of frames) {
    w.u16(f.sequence, 'sequence');
    w.u32(f.timeMs, 'timeMs');
    if (full) {
      for (const name of ['head', 'upperBack', 'sacrum']) {
        if (!Array.isArray(f[name]) || f[name].length !== 4) throw invalid(`live frame: ${name} is a quaternion (four Q15)`);
        for (const c of f[name]) w.i16(c, name);
      }
    }
    w.i16(f.trunkFlexionCdeg, 'trunkFlexionCdeg');
    w.i16(f.headFlexionCdeg, 'headFlexionCdeg');
    w.i16(f.hingeCdeg, 'hingeCdeg');
    w.i16(f.torsoCdeg, 'torsoCdeg');
    w.u16(f.dowelGapMm, 'dowelGapMm');
    const problem = liveStateProblem(f);
    if (problem) throw invalid(problem);
    if (full) {
      w.u8(f.phase, 'phase');
      w.u8(f.faultMask, 'faultMask');
      w.u8(f.validMask, 'validMask');
    } else {
      w.u8(f.phase | (((f.faultMask >> 1) & 7) << 2) | (f.validMask << 5), 'state');
    }
    w.u8(f.repCount, 'repCount');
  }
  return w.done();
}

// ---------------------------------------------------------------------------------------------
// Status (§9.1) and battery (§9.3)

/**
 * A Status value: the whole 32-byte record, or from 19 bytes its essential prefix (the
 * notification below MTU 35; complete: false, the later fields absent). As DeviceStatus.Decode.
 */
export function decodeStatus(bytes) {
  bytes = asBytes(bytes);
  if (bytes.length < DeviceStatus.EssentialLength) throw short(`a status of ${bytes.length} bytes (at least ${DeviceStatus.EssentialLength})`);
  const r = new Reader(bytes, 'status');
  const version = r.u8();
  if (version !== DeviceStatus.Version) throw inconsistent(`a status record of version ${version} (this app reads ${DeviceStatus.Version})`);
  const s = {
    batteryPercent: r.u8(),
    batteryMillivolts: r.u16(),
    charging: r.u8() !== 0,
    sensors: [r.u8(), r.u8(), r.u8()],
    calibrationFlags: r.u8(),
    capturing: r.u8(),
    recording: r.u8(),
    sessionId: r.u16(),
    storageUsedKb: r.u16(),
    storageTotalKb: r.u16(),
    undownloadedSessions: r.u8(),
    flags: r.u8(),
    complete: bytes.length >= DeviceStatus.EncodedLength,
  };
  if (!s.complete) return s;
  s.uptimeS = r.u32();
  s.fifoOverflows = r.u16();
  s.liveDropped = r.u16();
  s.loopOverruns = r.u16();
  s.controlLost = r.u16();
  return s;
}

/** The status record: 32 bytes, or the 19-byte prefix when status.complete is false. */
export function encodeStatus(s) {
  const w = new Writer('status');
  w.u8(DeviceStatus.Version, 'version');
  w.u8(s.batteryPercent, 'batteryPercent');
  w.u16(s.batteryMillivolts, 'batteryMillivolts');
  w.u8(s.charging ? 1 : 0, 'charging');
  if (!Array.isArray(s.sensors) || s.sensors.length !== 3) throw invalid('status: sensors holds three states');
  for (const state of s.sensors) w.u8(state, 'sensors');
  w.u8(s.calibrationFlags, 'calibrationFlags');
  w.u8(s.capturing, 'capturing');
  w.u8(s.recording, 'recording');
  w.u16(s.sessionId, 'sessionId');
  w.u16(s.storageUsedKb, 'storageUsedKb');
  w.u16(s.storageTotalKb, 'storageTotalKb');
  w.u8(s.undownloadedSessions, 'undownloadedSessions');
  w.u8(s.flags, 'flags');
  if (s.complete === false) return w.done();
  w.u32(s.uptimeS, 'uptimeS');
  w.u16(s.fifoOverflows, 'fifoOverflows');
  w.u16(s.liveDropped, 'liveDropped');
  w.u16(s.loopOverruns, 'loopOverruns');
  w.u16(s.controlLost, 'controlLost');
  w.u8(0, 'reserved');
  return w.done();
}

/** The Battery Level characteristic (SIG 0x2A19): one byte, 0–100 %. */
export function decodeBattery(bytes) {
  bytes = asBytes(bytes);
  if (bytes.length !== 1) throw (bytes.length < 1 ? short : inconsistent)(`a battery level of ${bytes.length} bytes (it is 1)`);
  if (bytes[0] > 100) throw inconsistent(`a battery level of ${bytes[0]} %`);
  return bytes[0];
}

export function encodeBattery(percent) {
  const w = new Writer('battery level');
  w.u8(w.int(percent, 0, 100, 'percent'), 'percent');
  return w.done();
}

// ---------------------------------------------------------------------------------------------
// Config record (§9.2)

// The fields in record order with their wire widths; the coaching ones exist from version 2.
const CONFIG_LAYOUT = freeze([
  ['flags', 1], ['backRoundingTenthsDeg', 2], ['backRoundingPercent', 1], ['chinDropTenthsDeg', 2],
  ['headUpTenthsDeg', 2], ['hysteresisTenthsDeg', 2], ['persistenceMs', 2], ['gateOpenTenthsDeg', 2],
  ['gateCloseTenthsDeg', 2], ['reminderTenthsS', 2], ['cooldownTenthsS', 2], ['hapticIntensityPercent', 1],
  ['recordRateHz', 1], ['liveRateHz', 1], ['heightCm', 1],
]);
const CONFIG_COACHING_LAYOUT = freeze([['exercise', 1], ['depthTargetTenthsDeg', 2], ['descentTargetTenthsS', 1]]);

/** Which config property each ConfigField names, to point a person at the setting that is wrong. */
export const ConfigFieldProperty = freeze({
  [ConfigField.Flags]: 'flags', [ConfigField.BackRoundingDeg]: 'backRoundingTenthsDeg',
  [ConfigField.BackRoundingPercent]: 'backRoundingPercent', [ConfigField.ChinDropDeg]: 'chinDropTenthsDeg',
  [ConfigField.HeadUpDeg]: 'headUpTenthsDeg', [ConfigField.HysteresisDeg]: 'hysteresisTenthsDeg',
  [ConfigField.PersistenceMs]: 'persistenceMs', [ConfigField.GateOpenDeg]: 'gateOpenTenthsDeg',
  [ConfigField.GateCloseDeg]: 'gateCloseTenthsDeg', [ConfigField.ReminderS]: 'reminderTenthsS',
  [ConfigField.CooldownS]: 'cooldownTenthsS', [ConfigField.HapticIntensity]: 'hapticIntensityPercent',
  [ConfigField.RecordRateHz]: 'recordRateHz', [ConfigField.LiveRateHz]: 'liveRateHz',
  [ConfigField.HeightCm]: 'heightCm', [ConfigField.Exercise]: 'exercise',
  [ConfigField.DepthTargetDeg]: 'depthTargetTenthsDeg', [ConfigField.DescentTargetS]: 'descentTargetTenthsS',
  [ConfigField.DeviceName]: 'deviceName',
});

/** The device's defaults (a new DeviceConfig): what ResetConfig puts in force. */
export function defaultConfig() {
  return {
    flags: DeviceConfig.FlagDepthCue, backRoundingTenthsDeg: 200, backRoundingPercent: 70, chinDropTenthsDeg: 150,
    headUpTenthsDeg: 100, hysteresisTenthsDeg: 40, persistenceMs: 200, gateOpenTenthsDeg: 300, gateCloseTenthsDeg: 200,
    reminderTenthsS: 30, cooldownTenthsS: 10, hapticIntensityPercent: 80, recordRateHz: 25, liveRateHz: 25, heightCm: 175,
    exercise: Exercise.Hinge, depthTargetTenthsDeg: 900, descentTargetTenthsS: 0, deviceName: 'HingeSensor',
  };
}

const between = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;
const divides25 = (hz) => between(hz, 1, DeviceConfig.ReportRateHz) && DeviceConfig.ReportRateHz % hz === 0;

/** The first field of a config outside its range, in DeviceConfig.Validate's order; ConfigField.None when valid. */
export function validateConfig(c) {
  const L = DeviceConfig;
  if (!Number.isInteger(c.flags) || (c.flags & ~31) !== 0 || c.flags < 0) return ConfigField.Flags;
  if (!between(c.backRoundingTenthsDeg, L.MinThresholdTenthsDeg, L.MaxThresholdTenthsDeg)) return ConfigField.BackRoundingDeg;
  if (!between(c.backRoundingPercent, L.MinBackRoundingPercent, L.MaxBackRoundingPercent)) return ConfigField.BackRoundingPercent;
  if (!between(c.chinDropTenthsDeg, L.MinThresholdTenthsDeg, L.MaxThresholdTenthsDeg)) return ConfigField.ChinDropDeg;
  if (!between(c.headUpTenthsDeg, L.MinThresholdTenthsDeg, L.MaxThresholdTenthsDeg)) return ConfigField.HeadUpDeg;
  if (!between(c.hysteresisTenthsDeg, 0, L.MaxHysteresisTenthsDeg)) return ConfigField.HysteresisDeg;
  if (!between(c.persistenceMs, 0, L.MaxPersistenceMs)) return ConfigField.PersistenceMs;
  if (!between(c.gateOpenTenthsDeg, 0, L.MaxGateOpenTenthsDeg)) return ConfigField.GateOpenDeg;
  if (!between(c.gateCloseTenthsDeg, 0, c.gateOpenTenthsDeg - 1)) return ConfigField.GateCloseDeg;
  if (!between(c.reminderTenthsS, 0, L.MaxIntervalTenthsS)) return ConfigField.ReminderS;
  if (!between(c.cooldownTenthsS, 0, L.MaxIntervalTenthsS)) return ConfigField.CooldownS;
  if (!between(c.hapticIntensityPercent, 0, L.MaxHapticIntensityPercent)) return ConfigField.HapticIntensity;
  if (!divides25(c.recordRateHz)) return ConfigField.RecordRateHz;
  if (!divides25(c.liveRateHz)) return ConfigField.LiveRateHz;
  if (!between(c.heightCm, L.MinHeightCm, L.MaxHeightCm)) return ConfigField.HeightCm;
  if (!between(c.exercise, Exercise.Hinge, Exercise.Any)) return ConfigField.Exercise;
  if (!between(c.depthTargetTenthsDeg, L.MinDepthTargetTenthsDeg, L.MaxDepthTargetTenthsDeg)) return ConfigField.DepthTargetDeg;
  if (!between(c.descentTargetTenthsS, 0, L.MaxDescentTargetTenthsS)) return ConfigField.DescentTargetS;
  const name = c.deviceName;
  if (typeof name !== 'string' || name.length === 0 || name.length > L.MaxNameBytes || /[^\x20-\x7e]/.test(name)) return ConfigField.DeviceName;
  return ConfigField.None;
}

const fieldName = (f) => Object.keys(ConfigField).find((k) => ConfigField[k] === f);
const configRefused = (field, why) => new ProtocolError(`config record: ${fieldName(field)} ${why}`, field === ConfigField.Length ? 'short' : 'inconsistent', { field });

/**
 * A config record (version 2, or version 1 with the coaching fields at their defaults), checked
 * as DeviceConfig.Decode checks it: the error's field is the ConfigField the device would name.
 */
export function decodeConfig(bytes) {
  bytes = asBytes(bytes);
  if (bytes.length < DeviceConfig.MinEncodedLengthWithoutCoaching) throw configRefused(ConfigField.Length, `record of ${bytes.length} bytes is too short`);
  const version = bytes[0];
  if (version !== DeviceConfig.Version && version !== DeviceConfig.VersionWithoutCoaching) throw configRefused(ConfigField.Version, `${version} is not a version this app reads`);
  if (version === DeviceConfig.Version && bytes.length < DeviceConfig.MinEncodedLength) throw configRefused(ConfigField.Length, `record of ${bytes.length} bytes is too short for version 2`);
  const r = new Reader(bytes, 'config record', 1);
  const c = defaultConfig();
  const readField = ([name, width]) => { c[name] = width === 1 ? r.u8() : r.u16(); };
  CONFIG_LAYOUT.forEach(readField);
  // A version-1 record knew no coaching switches: the coaching keeps its defaults, the depth cue on.
  if (version === DeviceConfig.VersionWithoutCoaching) c.flags |= defaultConfig().flags & DeviceConfig.FlagDepthCue;
  else CONFIG_COACHING_LAYOUT.forEach(readField);
  const n = r.u8();
  if (r.remaining !== n) throw configRefused(ConfigField.Length, `name of ${n} bytes in the ${r.remaining} left`);
  if (n > DeviceConfig.MaxNameBytes) throw configRefused(ConfigField.DeviceName, `of ${n} characters (at most ${DeviceConfig.MaxNameBytes})`);
  c.deviceName = String.fromCharCode(...r.bytes(n));
  const bad = validateConfig(c);
  if (bad !== ConfigField.None) throw configRefused(bad, `= ${JSON.stringify(c[ConfigFieldProperty[bad]])} is outside its range`);
  return c;
}

/** The ConfigField DeviceConfig.Decode answers for a record: None when it is valid. */
export function checkConfig(bytes) {
  try {
    decodeConfig(bytes);
    return ConfigField.None;
  } catch (e) {
    if (e instanceof ProtocolError && e.field !== undefined) return e.field;
    throw e;
  }
}

/** A version-2 record; refused, naming the field, unless every field is within its range. */
export function encodeConfig(c) {
  const bad = validateConfig(c);
  if (bad !== ConfigField.None) {
    throw new ProtocolError(`config: ${ConfigFieldProperty[bad] ?? fieldName(bad)} = ${JSON.stringify(c[ConfigFieldProperty[bad]])} is outside its range`, 'invalid', { field: bad });
  }
  const w = new Writer('config record');
  w.u8(DeviceConfig.Version, 'version');
  for (const [name, width] of [...CONFIG_LAYOUT, ...CONFIG_COACHING_LAYOUT]) (width === 1 ? w.u8 : w.u16).call(w, c[name], name);
  w.u8(c.deviceName.length, 'name length');
  for (let i = 0; i < c.deviceName.length; i++) w.u8(c.deviceName.charCodeAt(i), 'name');
  return w.done();
}

/**
 * A Config notification: the record, or the single byte 00 the device sends when the record
 * does not fit the MTU ("it changed, read it": {readAgain: true}).
 */
export function decodeConfigNotification(bytes) {
  bytes = asBytes(bytes);
  if (bytes.length === 1 && bytes[0] === 0) return { readAgain: true };
  return { readAgain: false, config: decodeConfig(bytes) };
}

// ---------------------------------------------------------------------------------------------
// Session download (§10.3)

/** A SessionData notification: {session, offset, data}. Shorter than its 6-byte header is refused (host: Short). */
export function decodeSessionData(bytes) {
  bytes = asBytes(bytes);
  if (bytes.length < 6) throw short(`session data of ${bytes.length} bytes (a 6-byte header at least)`);
  const r = new Reader(bytes, 'session data');
  return { session: r.u16(), offset: r.u32(), data: bytes.slice(6) };
}

export function encodeSessionData(p) {
  const w = new Writer('session data');
  w.u16(p.session, 'session');
  w.u32(p.offset, 'offset');
  w.raw(p.data, undefined, 'data');
  return w.done();
}

// ---------------------------------------------------------------------------------------------
// Session file: chunks (docs/session-format.md, §11)

/**
 * The chunk at bytes[offset ..] if it checks and may follow a chunk of sequence lastSequence (−1:
 * none yet): magic, type 1–5, payload ≤ 1024, CRC-32, a higher sequence, the header exactly at
 * sequence 0 (SessionFormat.CheckNext). {type, payloadLength, sequence, total}, or null.
 */
export function checkChunk(bytes, offset, lastSequence = -1) {
  bytes = asBytes(bytes);
  const F = SessionFormat;
  const available = bytes.length - offset;
  if (available < F.Overhead) return null;
  if (bytes[offset] !== F.Magic0 || bytes[offset + 1] !== F.Magic1) return null;
  const type = bytes[offset + 2];
  const payloadLength = bytes[offset + 3] | (bytes[offset + 4] << 8);
  if (payloadLength > F.MaxPayload || type < F.ChunkHeader || type > F.ChunkEnd) return null;
  const total = F.Overhead + payloadLength;
  if (available < total) return null;
  const r = new Reader(bytes, 'chunk', offset + 5);
  const sequence = r.u32();
  const crcAt = offset + F.HeaderBytes + payloadLength;
  const stored = new Reader(bytes, 'chunk', crcAt).u32();
  if (crc32(bytes, offset, crcAt) !== stored) return null;
  if (sequence <= lastSequence || (sequence === 0) !== (type === F.ChunkHeader)) return null;
  return { type, payloadLength, sequence, total };
}

/**
 * After a damaged chunk: the offset of the next chunk from `from` that checks, or −1
 * (SessionFormat.FindNext). It stops at a candidate that runs past the bytes held: `incomplete`
 * is its offset then (a download waits for more; a whole file looks on from the byte after it).
 */
export function findNextChunk(bytes, from, lastSequence = -1) {
  bytes = asBytes(bytes);
  const F = SessionFormat;
  for (let i = from; i + F.Overhead <= bytes.length; i++) {
    if (bytes[i] !== F.Magic0 || bytes[i + 1] !== F.Magic1) continue;
    const payload = bytes[i + 3] | (bytes[i + 4] << 8);
    if (payload > F.MaxPayload) continue;
    if (i + F.Overhead + payload > bytes.length) return { at: -1, incomplete: i };
    if (checkChunk(bytes, i, lastSequence)) return { at: i, incomplete: -1 };
  }
  return { at: -1, incomplete: -1 };
}

/**
 * Every intact chunk of a whole session file, in order (SessionChunkReader): {type, sequence,
 * offset, payloadOffset, payloadLength, hole} where hole is the damaged bytes skipped just before
 * it ({offset, length, firstMissingSequence, lastMissingSequence}) or null. validLength is where
 * the last intact chunk ends; hadInvalidTail, whether bytes follow it.
 */
export function readChunks(bytes) {
  bytes = asBytes(bytes);
  const chunks = [];
  let position = 0;
  let last = -1;
  while (position < bytes.length) {
    let at = position;
    let chunk = checkChunk(bytes, at, last);
    let hole = null;
    if (!chunk) {
      at = resynchronise(bytes, position + 1, last);
      if (at < 0) break;
      chunk = checkChunk(bytes, at, last);
      hole = { offset: position, length: at - position, firstMissingSequence: last + 1, lastMissingSequence: chunk.sequence - 1 };
    }
    chunks.push({ type: chunk.type, sequence: chunk.sequence, offset: at, payloadOffset: at + SessionFormat.HeaderBytes, payloadLength: chunk.payloadLength, hole });
    position = at + chunk.total;
    last = chunk.sequence;
  }
  return { chunks, validLength: position, hadInvalidTail: position < bytes.length };
}

// The whole file is here: a candidate running past its end cannot be a chunk, look on.
function resynchronise(bytes, from, last) {
  while (from < bytes.length) {
    const { at, incomplete } = findNextChunk(bytes, from, last);
    if (at >= 0 || incomplete < 0) return at;
    from = incomplete + 1;
  }
  return -1;
}

/** A sealed chunk: 'H' 'S', type, payload length, sequence, payload, CRC-32 of all before it. */
export function encodeChunk(type, sequence, payload) {
  if (payload.length > SessionFormat.MaxPayload) throw invalid(`a chunk payload of ${payload.length} bytes (at most ${SessionFormat.MaxPayload})`);
  const w = new Writer('chunk');
  w.u8(SessionFormat.Magic0, 'magic');
  w.u8(SessionFormat.Magic1, 'magic');
  w.int(type, SessionFormat.ChunkHeader, SessionFormat.ChunkEnd, 'type');
  w.u8(type, 'type');
  w.u16(payload.length, 'length');
  w.u32(sequence, 'sequence');
  w.raw(payload, undefined, 'payload');
  const body = w.done();
  const crc = new Writer('chunk');
  crc.u32(crc32(body), 'crc');
  const all = new Uint8Array(body.length + 4);
  all.set(body);
  all.set(crc.done(), body.length);
  return all;
}

// ---------------------------------------------------------------------------------------------
// Session file: payloads

/**
 * A chunk's payload as its type says: header {formatVersion, deviceSerial, firmwareMajor,
 * firmwareMinor, firmwarePatch, sessionId, sessionUid, startUnixMs, startDeviceMs, frameRateHz,
 * config, calibration}; frames {firstIndex, validMask, angles: per frame the six angles in 0.1°
 * (head, upper back, sacrum × sagittal, lateral)}; events {events: [{kind, timeMs, a, b, value}]};
 * rep (see readRep); end {frames, durationMs, reason}. Checked as DecodedSession checks them.
 */
export function decodeChunkPayload(type, payload) {
  payload = asBytes(payload);
  switch (type) {
    case SessionFormat.ChunkHeader: return decodeSessionHeader(payload);
    case SessionFormat.ChunkFrames: return readFrames(new Reader(payload, 'frames chunk'));
    case SessionFormat.ChunkEvents: return readEvents(new Reader(payload, 'events chunk'));
    case SessionFormat.ChunkRep: return readRep(new Reader(payload, 'rep chunk'));
    case SessionFormat.ChunkEnd: {
      const r = new Reader(payload, 'end chunk');
      return { frames: r.u32(), durationMs: r.u32(), reason: r.u8() };
    }
    default: throw inconsistent(`no chunk type ${type}`);
  }
}

export function encodeChunkPayload(type, p) {
  switch (type) {
    case SessionFormat.ChunkHeader: return encodeSessionHeader(p);
    case SessionFormat.ChunkFrames: return encodeFrames(p);
    case SessionFormat.ChunkEvents: return encodeEvents(p);
    case SessionFormat.ChunkRep: return encodeRep(p);
    case SessionFormat.ChunkEnd: {
      const w = new Writer('end chunk');
      w.u32(p.frames, 'frames');
      w.u32(p.durationMs, 'durationMs');
      w.u8(p.reason, 'reason');
      return w.done();
    }
    default: throw invalid(`no chunk type ${type}`);
  }
}

/** The header chunk's payload, formats 1 and 2, refused as SessionHeader.Decode refuses it. */
export function decodeSessionHeader(payload) {
  payload = asBytes(payload);
  const r = new Reader(payload, 'session header');
  const refuse = (problem) => new ProtocolError(`session header does not decode: ${problem}`, 'inconsistent');
  const formatVersion = r.u8();
  if (formatVersion < SessionFormat.OldestFormatVersion || formatVersion > SessionFormat.FormatVersion) throw refuse('unknown session format version');
  const n = r.u8();
  if (n > SessionHeader.MaxSerial) throw refuse('device serial longer than 16 characters');
  try {
    const h = { formatVersion, deviceSerial: String.fromCharCode(...r.bytes(n)) };
    h.firmwareMajor = r.u8();
    h.firmwareMinor = r.u8();
    h.firmwarePatch = r.u8();
    h.sessionId = r.u16();
    h.sessionUid = formatVersion >= 2 ? r.u64() : 0n;
    h.startUnixMs = r.i64();
    h.startDeviceMs = r.u32();
    h.frameRateHz = r.u8();
    const configLength = r.u8();
    if (configLength > r.remaining) throw refuse('header chunk too short');
    // Every frame's time is its index over this rate: 0 would put them all at infinity.
    if (h.frameRateHz < 1 || h.frameRateHz > 100) throw refuse('frame rate outside 1-100 Hz');
    try {
      h.config = decodeConfig(r.bytes(configLength));
    } catch (e) {
      if (e instanceof ProtocolError && e.field !== undefined) throw refuse('device config record does not decode');
      throw e;
    }
    h.calibration = readCalibration(r, formatVersion >= 2 ? 2 : 1);
    return h;
  } catch (e) {
    if (e instanceof ProtocolError && e.kind === 'short') throw refuse('header chunk too short');
    throw e;
  }
}

/** A format-2 header payload (the JavaScript writes what the device writes now). */
export function encodeSessionHeader(h) {
  if (h.formatVersion !== SessionFormat.FormatVersion) throw invalid(`session header: format ${h.formatVersion} is read, not written (format ${SessionFormat.FormatVersion} is)`);
  const w = new Writer('session header');
  w.u8(h.formatVersion, 'formatVersion');
  if (typeof h.deviceSerial !== 'string' || h.deviceSerial.length > SessionHeader.MaxSerial || /[^\x00-\x7f]/.test(h.deviceSerial)) {
    throw invalid(`session header: the serial is at most ${SessionHeader.MaxSerial} ASCII characters`);
  }
  w.u8(h.deviceSerial.length, 'serial length');
  for (let i = 0; i < h.deviceSerial.length; i++) w.u8(h.deviceSerial.charCodeAt(i), 'serial');
  w.u8(h.firmwareMajor, 'firmwareMajor');
  w.u8(h.firmwareMinor, 'firmwareMinor');
  w.u8(h.firmwarePatch, 'firmwarePatch');
  w.u16(h.sessionId, 'sessionId');
  w.u64(h.sessionUid, 'sessionUid');
  w.i64(h.startUnixMs, 'startUnixMs');
  w.u32(h.startDeviceMs, 'startDeviceMs');
  w.u8(w.int(h.frameRateHz, 1, 100, 'frameRateHz'), 'frameRateHz');
  const config = encodeConfig(h.config);
  w.u8(config.length, 'config length');
  w.raw(config, undefined, 'config');
  writeCalibration(w, h.calibration);
  return w.done();
}

// Calibration record 2 (per segment: flags, segment → sensor rotation, neutral up, neutral spread,
// hinge planarity ÷ 10000, hinge axis tilt; then has-range and the range), or 1 without the
// neutral up. Raw as stored: the C# reader also normalises near-unit rotations, which is arithmetic
// on these numbers, not a different reading of the bytes.
function readCalibration(r, version) {
  const segments = [];
  for (let s = 0; s < 3; s++) {
    const flags = r.u8();
    segments.push({
      hasNeutral: (flags & 1) !== 0,
      hasHinge: (flags & 2) !== 0,
      segmentToSensor: [r.i16(), r.i16(), r.i16(), r.i16()],
      neutralUp: version >= 2 ? [r.i16(), r.i16(), r.i16()] : null,
      neutralSpreadCdeg: r.i16(),
      hingePlanarity: r.u16(),
      hingeAxisTiltCdeg: r.i16(),
    });
  }
  return { segments, hasRange: r.u8() !== 0, rangeTrunkFlexionCdeg: r.i16() };
}

function writeCalibration(w, cal) {
  if (!cal || !Array.isArray(cal.segments) || cal.segments.length !== 3) throw invalid('calibration: three segments');
  for (const c of cal.segments) {
    w.u8((c.hasNeutral ? 1 : 0) | (c.hasHinge ? 2 : 0), 'flags');
    for (const q of c.segmentToSensor) w.i16(q, 'segmentToSensor');
    if (!Array.isArray(c.neutralUp) || c.neutralUp.length !== 3) throw invalid('calibration: neutralUp is three Q15');
    for (const v of c.neutralUp) w.i16(v, 'neutralUp');
    w.i16(c.neutralSpreadCdeg, 'neutralSpreadCdeg');
    w.u16(c.hingePlanarity, 'hingePlanarity');
    w.i16(c.hingeAxisTiltCdeg, 'hingeAxisTiltCdeg');
  }
  w.u8(cal.hasRange ? 1 : 0, 'hasRange');
  w.i16(cal.rangeTrunkFlexionCdeg, 'rangeTrunkFlexionCdeg');
}

// Frames: the first frame as i16, later ones as zigzag varint differences; a sum beyond the i16
// the recorder writes in is not an angle (DecodedSession.ReadFrames).
function readFrames(r) {
  const firstIndex = r.u32();
  const count = r.u8();
  const validMask = r.u8();
  if (validMask > 7) throw inconsistent(`a frames chunk names segments that do not exist (valid mask 0x${validMask.toString(16)})`);
  const v = [0, 0, 0, 0, 0, 0];
  const angles = [];
  for (let f = 0; f < count; f++) {
    for (let i = 0; i < SessionFrames.AnglesPerFrame; i++) {
      const angle = f === 0 ? r.i16() : v[i] + r.varInt();
      if (angle < -32767 || angle > 32767) throw inconsistent(`a frames chunk adds up to an angle of ${(angle / 10).toFixed(1)}° in frame ${firstIndex + f} (at most ±3276.7°)`);
      v[i] = angle;
    }
    angles.push(v.slice());
  }
  return { firstIndex, validMask, angles };
}

function encodeFrames(p) {
  const w = new Writer('frames chunk');
  w.u32(p.firstIndex, 'firstIndex');
  w.u8(p.angles.length, 'count');
  w.u8(w.int(p.validMask, 0, 7, 'validMask'), 'validMask');
  let last = null;
  for (const frame of p.angles) {
    if (!Array.isArray(frame) || frame.length !== SessionFrames.AnglesPerFrame) throw invalid('frames chunk: six angles a frame');
    frame.forEach((a, i) => {
      w.int(a, -32767, 32767, 'angle');
      if (last === null) w.i16(a, 'angle');
      else w.varInt(a - last[i]);
    });
    last = frame;
  }
  return w.done();
}

// Events: alignment events become the session's alerts and cues its coaching: one of a kind,
// fault or cue that does not exist is refused, not read as "none".
function readEvents(r) {
  const n = r.u8();
  const events = [];
  for (let i = 0; i < n; i++) {
    const e = { kind: r.u8(), timeMs: r.u32(), a: r.u8(), b: r.u8(), value: r.i16() };
    r.u8(); // reserved
    if (e.kind === SessionEventKind.Alignment && (e.a < AlignmentEventKind.Started || e.a > AlignmentEventKind.Ended || e.b < Fault.BackRounding || e.b > Fault.HeadUp)) {
      throw inconsistent(`an events chunk holds an alignment event ${e.a} for fault ${e.b}, which do not exist`);
    }
    if (e.kind === SessionEventKind.Cue && (e.a < CoachingCue.DepthReached || e.a > CoachingCue.LeaningBack)) {
      throw inconsistent(`an events chunk holds a coaching cue ${e.a}, which does not exist`);
    }
    events.push(e);
  }
  return { events };
}

function encodeEvents(p) {
  const w = new Writer('events chunk');
  w.u8(p.events.length, 'count');
  for (const e of p.events) {
    w.u8(e.kind, 'kind');
    w.u32(e.timeMs, 'timeMs');
    w.u8(e.a, 'a');
    w.u8(e.b, 'b');
    w.i16(e.value, 'value');
    w.u8(0, 'reserved');
  }
  return w.done();
}

// The rep sacrum drop no one could vouch for (NaN on the device).
const UNKNOWN_DROP_MM = -32768;

/**
 * A rep record: {number, counted, startMs, endMs (since the session start), depthCdeg, descentMs,
 * bottomMs, ascentMs, maxTrunkFlexionCdeg, maxHeadFlexionCdeg, minHeadFlexionCdeg, maxHingeCdeg,
 * faultMask, coaching}. coaching is null in the 28-byte records of firmware 1.x, else {pattern,
 * lockout, depthReached, pelvisSharePercent, sacrumDropMm (null: unknown)}; a pattern or lockout
 * that does not exist is refused.
 */
function readRep(r) {
  const rep = {
    number: r.u16(), counted: r.u8() !== 0, startMs: r.u32(), endMs: r.u32(), depthCdeg: r.i16(),
    descentMs: r.u16(), bottomMs: r.u16(), ascentMs: r.u16(), maxTrunkFlexionCdeg: r.i16(),
    maxHeadFlexionCdeg: r.i16(), minHeadFlexionCdeg: r.i16(), maxHingeCdeg: r.i16(), faultMask: r.u8(),
    coaching: null,
  };
  // The chunk's own length says whether the coaching bytes are there (SessionRep.Read).
  if (r.remaining >= SessionRep.EncodedLength - SessionRep.EncodedLengthV1) {
    const pattern = r.u8(), lockout = r.u8(), flags = r.u8(), pelvis = r.u8(), drop = r.i16();
    if (pattern > RepPattern.Stoop || lockout > Lockout.OverExtension) throw inconsistent(`a rep chunk holds pattern ${pattern} / lockout ${lockout}, which do not exist`);
    rep.coaching = { pattern, lockout, depthReached: (flags & 1) !== 0, pelvisSharePercent: pelvis, sacrumDropMm: drop === UNKNOWN_DROP_MM ? null : drop };
  }
  return rep;
}

function encodeRep(rep) {
  const w = new Writer('rep chunk');
  w.u16(rep.number, 'number');
  w.u8(rep.counted ? 1 : 0, 'counted');
  w.u32(rep.startMs, 'startMs');
  w.u32(rep.endMs, 'endMs');
  w.i16(rep.depthCdeg, 'depthCdeg');
  w.u16(rep.descentMs, 'descentMs');
  w.u16(rep.bottomMs, 'bottomMs');
  w.u16(rep.ascentMs, 'ascentMs');
  w.i16(rep.maxTrunkFlexionCdeg, 'maxTrunkFlexionCdeg');
  w.i16(rep.maxHeadFlexionCdeg, 'maxHeadFlexionCdeg');
  w.i16(rep.minHeadFlexionCdeg, 'minHeadFlexionCdeg');
  w.i16(rep.maxHingeCdeg, 'maxHingeCdeg');
  w.u8(rep.faultMask, 'faultMask');
  const c = rep.coaching;
  if (c) {
    w.u8(w.int(c.pattern, 0, RepPattern.Stoop, 'pattern'), 'pattern');
    w.u8(w.int(c.lockout, 0, Lockout.OverExtension, 'lockout'), 'lockout');
    w.u8(c.depthReached ? 1 : 0, 'flags');
    w.u8(c.pelvisSharePercent, 'pelvisSharePercent');
    w.i16(c.sacrumDropMm === null ? UNKNOWN_DROP_MM : w.int(c.sacrumDropMm, -32767, 32767, 'sacrumDropMm'), 'sacrumDropMm');
  }
  return w.done();
}

// ---------------------------------------------------------------------------------------------
// A whole session file

/**
 * A downloaded session file decoded as the host decodes it (DecodedSession): {header, frames:
 * [{index, validMask, angles (0.1°; null where the segment was not valid)}], events, reps, holes,
 * end ({frames, durationMs, reason} or null: cut short), validLength, hadInvalidTail}. Damaged
 * chunks are skipped and reported in holes; a file without an intact header, or whose intact
 * chunks say impossible things, is refused with what and where.
 */
export function decodeSession(bytes) {
  bytes = asBytes(bytes);
  const { chunks, validLength, hadInvalidTail } = readChunks(bytes);
  if (validLength === 0) throw inconsistent('no intact session header');
  const s = { header: null, frames: [], events: [], reps: [], holes: [], end: null, validLength, hadInvalidTail };
  for (const c of chunks) {
    if (c.hole) s.holes.push(c.hole);
    if (c.type !== SessionFormat.ChunkHeader && s.header === null) {
      throw inconsistent(s.holes.length > 0
        ? `the session header chunk is damaged (${s.holes[0].length} bytes at byte ${s.holes[0].offset}): the rest cannot be read without it`
        : `the session starts with a ${chunkName(c.type)} chunk, not its header`);
    }
    let p;
    try {
      p = decodeChunkPayload(c.type, bytes.subarray(c.payloadOffset, c.payloadOffset + c.payloadLength));
    } catch (e) {
      if (e instanceof ProtocolError && e.kind === 'short' && c.type !== SessionFormat.ChunkHeader) {
        throw inconsistent(`the ${chunkName(c.type)} chunk at byte ${c.offset} is shorter than what it says it holds`);
      }
      throw e;
    }
    switch (c.type) {
      case SessionFormat.ChunkHeader: s.header = p; break;
      case SessionFormat.ChunkFrames:
        p.angles.forEach((a, f) => s.frames.push({
          index: p.firstIndex + f,
          validMask: p.validMask,
          angles: a.map((v, i) => ((p.validMask & (1 << Math.floor(i / 2))) !== 0 ? v : null)), // two angles a segment
        }));
        break;
      case SessionFormat.ChunkEvents: s.events.push(...p.events); break;
      case SessionFormat.ChunkRep: s.reps.push(p); break;
      case SessionFormat.ChunkEnd: s.end = p; break;
      default: break;
    }
  }
  return s;
}

function chunkName(type) {
  return { 1: 'header', 2: 'frames', 3: 'events', 4: 'rep', 5: 'end' }[type];
}
