// A stored session for other tools, in the formats of `hinge history export` (Export/SessionExport.cs):
// CSV as three tables beside each other (frames, reps, alerts: name.csv, name.reps.csv,
// name.alerts.csv), JSON as one document with everything. Same columns, same rounding, same number
// formatting — a test compares the bytes with the host's export of the same session. And the file a
// laptop takes back: the session's own bytes, which `hinge history import` reads.
import { roundTo } from './session-model.js';

// SessionExport.N: NaN as an empty cell (null), else rounded — floats to 2 places, doubles to 3.
const n2 = (v) => (Number.isNaN(v) ? null : roundTo(v, 2));
const n3 = (v) => (Number.isNaN(v) ? null : roundTo(v, 3));

function frameRow(f) {
  return {
    time_s: roundTo(f.timeS, 3), head_sagittal_deg: n2(f.headSag), head_lateral_deg: n2(f.headLat),
    upper_back_sagittal_deg: n2(f.upperSag), upper_back_lateral_deg: n2(f.upperLat), sacrum_sagittal_deg: n2(f.sacrumSag),
    sacrum_lateral_deg: n2(f.sacrumLat), trunk_flexion_deg: n2(f.trunkFlexion), head_flexion_deg: n2(f.headFlexion), valid_mask: f.valid,
  };
}

function repRow(r) {
  return {
    number: r.number, counted: r.counted, start_s: roundTo(r.startS, 3), end_s: roundTo(r.endS, 3), depth_deg: n3(r.depthDeg),
    descent_s: n3(r.descentS), bottom_s: n3(r.bottomS), ascent_s: n3(r.ascentS), max_trunk_flexion_deg: n3(r.maxTrunkFlexionDeg),
    max_head_flexion_deg: n3(r.maxHeadFlexionDeg), min_head_flexion_deg: n3(r.minHeadFlexionDeg), max_hinge_deg: n3(r.maxHingeDeg),
    faults: r.faults.join(';'),
  };
}

function alertRow(a) {
  return { fault: a.fault, onset_s: n3(a.onsetS), start_s: roundTo(a.startS, 3), end_s: roundTo(a.endS, 3), peak_deg: roundTo(a.peakDeg, 2), corrected: a.corrected };
}

// A cell as the host's CSV writer puts it: numbers in .NET's shortest round-trip form (which keeps
// the sign of a negative zero), booleans capitalised, text quoted only when it must be.
function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows, columns) {
  let out = `${columns.join(',')}\n`;
  for (const r of rows) out += `${columns.map((c) => cell(r[c])).join(',')}\n`;
  return out;
}

const FRAME_COLUMNS = ['time_s', 'head_sagittal_deg', 'head_lateral_deg', 'upper_back_sagittal_deg', 'upper_back_lateral_deg', 'sacrum_sagittal_deg',
  'sacrum_lateral_deg', 'trunk_flexion_deg', 'head_flexion_deg', 'valid_mask'];
const REP_COLUMNS = ['number', 'counted', 'start_s', 'end_s', 'depth_deg', 'descent_s', 'bottom_s', 'ascent_s', 'max_trunk_flexion_deg',
  'max_head_flexion_deg', 'min_head_flexion_deg', 'max_hinge_deg', 'faults'];
const ALERT_COLUMNS = ['fault', 'onset_s', 'start_s', 'end_s', 'peak_deg', 'corrected'];

/** The three CSV tables of a session model: {frames, reps, alerts} as text. */
export function exportCsv(model) {
  return {
    frames: csv(model.frames.map(frameRow), FRAME_COLUMNS),
    reps: csv(model.reps.map(repRow), REP_COLUMNS),
    alerts: csv(model.alerts.map(alertRow), ALERT_COLUMNS),
  };
}

/** The JSON document; stored: the store's record ({id, importedAt}), which stands where the host's database row does. */
export function exportJson(model, stored) {
  const s = model.summary;
  return JSON.stringify({
    session: {
      id: stored.id, source: s.source, device: s.device, device_session_id: s.deviceSessionId, start_unix_ms: s.startUnixMs,
      duration_s: s.durationS, counted_reps: s.countedReps, alerts: s.alerts, imported_at: stored.importedAt, crc32: s.crc32,
    },
    height_cm: model.heightCm,
    thresholds_deg: model.thresholdsDeg,
    back_rounding_percent_of_range: model.backRoundingPercentOfRange,
    calibration: model.calibration,
    reps: model.reps.map(repRow),
    alerts: model.alerts.map(alertRow),
    frames: model.frames.map(frameRow),
  });
}

/** The name `hinge history import` is handed: which device, which session; the bytes are the device's file. */
export function sessionFileName(model) {
  const serial = model.summary.device.replace(/[^A-Za-z0-9-]/g, '_') || 'HingeSensor';
  return `${serial}-session-${model.summary.deviceSessionId}.hsession`;
}
