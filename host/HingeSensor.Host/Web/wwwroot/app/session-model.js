// A downloaded session file read the way the host stores it (SessionDatabase.ImportDeviceSession,
// then GetSession): frames with their flexions, reps, alert spans, calibration, the thresholds the
// device judged with, and the summary. The arithmetic is the host's to the bit — single precision
// where the C# works in float (Math.fround), the same rounding — so that the report and the export
// say what `hinge history show` and `hinge history export` say about the same bytes.
import { AlignmentEventKind, DeviceConfig, SessionEventKind, crc32, decodeSession } from './protocol.js';

const f32 = Math.fround;
const TENTH = f32(0.1);
const HUNDREDTH = f32(0.01);
const THOUSANDTH = f32(0.001);

// PostureCalculator.WrapDeg: a difference of inclinations brought back into (−180°, 180°].
function wrap(a) {
  if (a > 180) return f32(a - 360);
  if (a < -180) return f32(a + 360);
  return a;
}

/** Trunk flexion: the upper back over the sacrum (PostureCalculator.TrunkFlexionDeg). */
export const trunkFlexion = (upperSag, sacrumSag) => wrap(f32(upperSag - sacrumSag));
/** Head flexion: the head over the upper back (PostureCalculator.HeadFlexionDeg). */
export const headFlexion = (headSag, upperSag) => wrap(f32(headSag - upperSag));

const FAULT_NAMES = { 1: 'back_rounding', 2: 'chin_drop', 3: 'head_up' };
const PATTERN_NAMES = ['unknown', 'hinge', 'squat', 'stoop'];
const LOCKOUT_NAMES = ['unknown', 'ok', 'incomplete', 'over_extension'];

/** Math.Round(v, digits): half to even on the scaled value, as .NET does it. */
export function roundTo(v, digits) {
  if (!Number.isFinite(v)) return v;
  const power = 10 ** digits;
  const x = v * power;
  // Beyond 2^52 a double is already whole: .NET leaves it.
  if (Math.abs(x) >= 4503599627370496) return v;
  const f = Math.floor(x);
  const d = x - f;
  const r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  return r / power;
}

// Alert spans from the recorded alignment events (AlertSpans): Started opens a fault's span,
// Corrected or Ended closes it with the episode's peak; one still open closes at the end, not
// corrected. A recorded event carries no onset: a span's onset is its start.
function alertSpans(events, endS) {
  const open = new Map();
  const closed = [];
  const span = (fault, o, end, peak, corrected) => ({ fault: FAULT_NAMES[fault], onsetS: o.onset, startS: o.start, endS: end, peakDeg: roundTo(peak, 2), corrected });
  for (const e of events) {
    if (e.kind !== SessionEventKind.Alignment) continue;
    const t = e.timeMs / 1000;
    const peak = e.value / 100;
    if (e.a === AlignmentEventKind.Started) {
      open.set(e.b, { onset: t, start: t, peak }); // replaces one still open, in its place (Dictionary indexer)
    } else if (e.a === AlignmentEventKind.Corrected || e.a === AlignmentEventKind.Ended) {
      const o = open.get(e.b);
      if (o) {
        open.delete(e.b);
        closed.push(span(e.b, o, t, Math.max(o.peak, peak), e.a === AlignmentEventKind.Corrected));
      }
    }
  }
  for (const [fault, o] of open) closed.push(span(fault, o, endS, o.peak, false));
  return closed.map((a, i) => [a, i]).sort((x, y) => x[0].startS - y[0].startS || x[1] - y[1]).map(([a]) => a);
}

function rep(r) {
  const known = r.coaching !== null && r.coaching.pattern !== 0;
  const faults = [1, 2, 3].filter((f) => (r.faultMask & (1 << f)) !== 0).map((f) => FAULT_NAMES[f]);
  return {
    number: r.number, counted: r.counted,
    startS: f32(f32(r.startMs) * THOUSANDTH), endS: f32(f32(r.endMs) * THOUSANDTH),
    depthDeg: f32(r.depthCdeg * HUNDREDTH),
    descentS: f32(r.descentMs * THOUSANDTH), bottomS: f32(r.bottomMs * THOUSANDTH), ascentS: f32(r.ascentMs * THOUSANDTH),
    maxTrunkFlexionDeg: f32(r.maxTrunkFlexionCdeg * HUNDREDTH), maxHeadFlexionDeg: f32(r.maxHeadFlexionCdeg * HUNDREDTH),
    minHeadFlexionDeg: f32(r.minHeadFlexionCdeg * HUNDREDTH), maxHingeDeg: f32(r.maxHingeCdeg * HUNDREDTH),
    faults,
    pattern: PATTERN_NAMES[r.coaching ? r.coaching.pattern : 0],
    lockout: LOCKOUT_NAMES[r.coaching ? r.coaching.lockout : 0],
    depthReached: known ? r.coaching.depthReached : null,
    pelvisShare: known ? f32(r.coaching.pelvisSharePercent * HUNDREDTH) : NaN,
    sacrumDropCm: known && r.coaching.sacrumDropMm !== null ? f32(r.coaching.sacrumDropMm * TENTH) : NaN,
  };
}

// The thresholds the session was judged with: the device's config in its header, back rounding by
// the device's own rule (a share of the wearer's range when the config asks for it and the
// calibration has a range), as SessionDatabase.Thresholds.
function thresholds(config, rangeDeg) {
  const useRange = (config.flags & DeviceConfig.FlagRangePercent) !== 0 && rangeDeg > 0;
  const rounding = useRange ? f32(f32(f32(config.backRoundingPercent) * HUNDREDTH) * rangeDeg) : f32(config.backRoundingTenthsDeg * TENTH);
  return {
    deg: {
      back_rounding: roundTo(rounding, 1),
      chin_drop: config.chinDropTenthsDeg / 10,
      head_up: config.headUpTenthsDeg / 10,
      gate_open_torso: config.gateOpenTenthsDeg / 10,
    },
    backRoundingPercent: useRange ? config.backRoundingPercent : null,
  };
}

/**
 * A session file as the host keeps it. Throws the codec's ProtocolError for a file that does not
 * decode (the caller keeps it aside).
 */
export function sessionModel(bytes) {
  const d = decodeSession(bytes);
  const h = d.header;
  const rate = h.frameRateHz;
  const frames = d.frames.map((f) => {
    const a = f.angles.map((v) => (v === null ? NaN : f32(f32(v) * TENTH)));
    return {
      timeS: f.index / rate, headSag: a[0], headLat: a[1], upperSag: a[2], upperLat: a[3], sacrumSag: a[4], sacrumLat: a[5], valid: f.validMask,
      trunkFlexion: trunkFlexion(a[2], a[4]), headFlexion: headFlexion(a[0], a[2]),
    };
  });
  const closed = d.end !== null;
  const durationS = closed ? d.end.durationMs / 1000 : frames.length > 0 ? frames[frames.length - 1].timeS : 0;
  const cal = h.calibration;
  const rangeDeg = cal.hasRange ? f32(cal.rangeTrunkFlexionCdeg * HUNDREDTH) : 0;
  const calibration = cal.segments.map((s, i) => ({
    segment: i, has_neutral: s.hasNeutral, has_hinge: s.hasHinge,
    neutral_spread_deg: f32(s.neutralSpreadCdeg * HUNDREDTH), hinge_planarity: f32(s.hingePlanarity / 10000),
    hinge_axis_tilt_deg: f32(s.hingeAxisTiltCdeg * HUNDREDTH), range_trunk_flexion_deg: cal.hasRange ? rangeDeg : null,
  }));
  const reps = d.reps.map(rep);
  const alerts = alertSpans(d.events, durationS);
  const t = thresholds(h.config, rangeDeg);
  return {
    header: h,
    holes: d.holes,
    closed,
    frameRateHz: rate,
    heightCm: h.config.heightCm,
    frames, reps, alerts, calibration,
    cues: d.events.filter((e) => e.kind === SessionEventKind.Cue),
    thresholdsDeg: t.deg,
    backRoundingPercentOfRange: t.backRoundingPercent,
    summary: {
      source: 'device', device: h.deviceSerial, deviceSessionId: h.sessionId, startUnixMs: Number(h.startUnixMs), durationS,
      countedReps: reps.filter((r) => r.counted).length, alerts: alerts.length, crc32: crc32(bytes),
      uid: h.sessionUid !== undefined ? h.sessionUid.toString(16).padStart(16, '0') : null,
      deviceName: h.config.deviceName,
      firmware: `${h.firmwareMajor}.${h.firmwareMinor}.${h.firmwarePatch}`,
    },
  };
}
