// What the device's answers and events mean, in the host's sentences (Client/DeviceRefusal.cs,
// Live/LiveState.cs, CalibrationStatusText, DeviceStatusView), so that the app and `hinge` say the
// same things. Where the host names a `hinge` command, the app names what to tap instead.
import { CalibrationStatus, CoachingCue, ConfigField, defaultConfig, DeviceStatus, Opcode, RecordingState, ResultCode, SensorState, AlignmentEventKind } from './protocol.js';
import { outOfRange } from './settings.js';
import { faultText } from './liveview.js';

/** A request as a verb phrase: "start recording" (DeviceRefusal.Action). */
export function action(op) {
  switch (op) {
    case Opcode.Identify: return 'identify itself';
    case Opcode.SetTime: return 'set its clock';
    case Opcode.CalibrateNeutral: return 'calibrate the neutral stance';
    case Opcode.CalibrateHinge: return 'calibrate the hinge';
    case Opcode.CalibrateRange: return 'calibrate the range';
    case Opcode.StartRecording: return 'start recording';
    case Opcode.StopRecording: return 'stop recording';
    case Opcode.ListSessions: return 'list its sessions';
    case Opcode.Download: return 'send a session';
    case Opcode.AbortDownload: return 'stop sending a session';
    case Opcode.MarkDownloaded: return 'mark a session downloaded';
    case Opcode.EraseSession: return 'erase a session';
    case Opcode.WriteConfig: return 'change its settings';
    case Opcode.ResetConfig: return 'reset its settings';
    default: return `do request 0x${op.toString(16).padStart(2, '0')}`;
  }
}

const isCalibration = (op) => op === Opcode.CalibrateNeutral || op === Opcode.CalibrateHinge || op === Opcode.CalibrateRange;

/**
 * What a device's answer means (DeviceRefusal.Describe): the result read with the request it
 * answers. session: the session id the request named; field: the ConfigField a refused config
 * names; config: the settings sent (for the value a refusal is about).
 */
export function refusal(op, result, { session, field, config } = {}) {
  const which = session !== undefined ? `session ${session}` : 'that session';
  switch (result) {
    case ResultCode.Success:
    case ResultCode.Accepted: return 'done';
    case ResultCode.UnknownOpcode: return `the device does not know how to ${action(op)}: its firmware is older than this app; update it`;
    case ResultCode.InvalidLength:
      if (op === Opcode.WriteConfig && config && (config.deviceName.length === 0 || config.deviceName.length > 20)) {
        return `the device refused the settings: ${outOfRange(ConfigField.DeviceName, config)}`;
      }
      return `the device did not take the request to ${action(op)} (its length): its firmware and this app disagree on the protocol`;
    case ResultCode.InvalidParameter:
      if (op === Opcode.WriteConfig) return `the device refused the settings: ${outOfRange(field ?? ConfigField.None, config ?? defaultConfig())}`;
      if (op === Opcode.SetTime) return 'the device refused the time it was given (is this phone\'s clock right?)';
      if (op === Opcode.Download) return `the device has no such position in ${which}: download it again from the start`;
      return `the device refused a value in the request to ${action(op)}`;
    case ResultCode.Busy:
      if (isCalibration(op)) return 'a calibration capture is still running: wait for its result';
      if (op === Opcode.Download) return 'the device is already sending a session: wait for it to finish';
      return 'the device is busy (its queue of requests is full): try again in a moment';
    case ResultCode.InsufficientSecurity: return `the device will ${action(op)} only over a paired, encrypted link: pair with it first`;
    case ResultCode.NotFound: return `there is no ${which} on the device`;
    case ResultCode.StorageFull: return 'the device\'s storage is full: download its sessions (Sessions), then erase them';
    case ResultCode.NotCalibrated:
      if (op === Opcode.CalibrateRange) return 'the range comes after the neutral and the hinge: calibrate those first (neutral, then hinge)';
      return 'calibrate first (neutral, then hinge)';
    case ResultCode.DigestMismatch: return `the device's copy of ${which} is not the one stored here (its SHA-256 differs): download it again`;
    case ResultCode.NotDownloaded: return `${which} was never downloaded; download it first`;
    case ResultCode.InvalidState:
      if (op === Opcode.StartRecording) return 'the device is already recording';
      if (op === Opcode.StopRecording) return 'the device is not recording';
      if (op === Opcode.EraseSession) return `${which} cannot be erased now (recording, being downloaded, or its digest is still being computed)`;
      return `the device cannot ${action(op)} in the state it is in`;
    case ResultCode.InternalError:
      if (op === Opcode.WriteConfig || op === Opcode.ResetConfig) return 'the device could not save its settings to its flash';
      if (op === Opcode.Download) return `the device could not read ${which} from its flash`;
      if (op === Opcode.StartRecording) return 'the device could not start a session file on its flash';
      return `the device failed to ${action(op)} (an internal error)`;
    default: return `the device answered the request to ${action(op)} with code ${result}, which this app does not know`;
  }
}

/** A calibration outcome for the wearer (CalibrationStatusText.Describe). */
export function calibrationStatusText(status) {
  switch (status) {
    case CalibrationStatus.Ok: return 'ok';
    case CalibrationStatus.NotEnoughData: return 'not enough data: hold the position for longer';
    case CalibrationStatus.MovedDuringNeutral: return 'moved during the neutral stance: stand still and tall';
    case CalibrationStatus.TwistedNotHinged: return 'twisted or bent sideways instead of hinging forward';
    case CalibrationStatus.NotASingleAxis: return 'the movement was not a clean hinge: bend forward and back up with a straight back';
    case CalibrationStatus.HingeTooShallow: return 'hinge too shallow: push the hips back and bend further forward';
    case CalibrationStatus.NeedsNeutral: return 'calibrate the neutral stance first';
    case CalibrationStatus.RangeTooShallow: return 'toe touch too shallow: reach further down';
    case CalibrationStatus.SensorMissing: return 'a sensor was missing during the capture';
    case CalibrationStatus.NeedsHinge: return 'calibrate the hinge first';
    case CalibrationStatus.Inconsistent: return 'the result would give impossible angles and was not kept: calibrate the neutral stance again, then the hinge';
    default: return 'unknown status';
  }
}

export const segmentName = (s) => (s === 0 ? 'head' : s === 1 ? 'upper back' : 'sacrum');

/** What the wearer does during each capture (DeviceActions.Instruction). */
export const INSTRUCTIONS = Object.freeze({
  neutral: 'Stand still and tall for 3 s.',
  hinge: 'A slow hinge with a straight back, down and up.',
  range: 'A full toe touch, down and up (optional: thresholds as % of your range).',
});

/** A CalibrationDone event as a sentence (DeviceActions.CalibrateAsync). */
export function calibrationMessage(name, e) {
  const q = (v) => fixed(v / 255, 2);
  if (e.status === CalibrationStatus.Ok) return `${name} calibration ok (quality head ${q(e.quality[0])}, upper back ${q(e.quality[1])}, sacrum ${q(e.quality[2])})`;
  return `${name} calibration failed: ${calibrationStatusText(e.status)}${e.failedSegment >= 0 ? ` (${segmentName(e.failedSegment)} sensor)` : ''}`;
}

/** A number as .NET's "0", "0.0" … formats write it: a tie rounds away from zero, a negative that rounds to 0 keeps its sign. */
export function fixed(v, digits) {
  const s = Math.abs(v).toFixed(digits);
  return v < 0 || Object.is(v, -0) ? `-${s}` : s;
}

/** A cue as a coach would say it, with the measurement behind it (LiveState.CueText). */
export function cueText(cue, value) {
  switch (cue) {
    case CoachingCue.DepthReached: return `depth reached (${fixed(value, 0)}°)`;
    case CoachingCue.Squatting: return `hips back: that was a squat (pelvis carried ${fixed(value * 100, 0)} % of the lean)`;
    case CoachingCue.FastDescent: return `slow down: ${fixed(value, 1)} s down`;
    case CoachingCue.IncompleteLockout: return `finish tall: the rep ended ${fixed(value, 0)}° short of standing`;
    case CoachingCue.LeaningBack: return `don't lean back at the top (${fixed(-value, 0)}° behind neutral)`;
    default: return `cue ${cue}`;
  }
}

const seconds = (ms) => `${fixed(ms / 1000, 1)} s`;

/** A sentence for an event worth announcing in the log, or null (LiveState.Describe). */
export function describeEvent(e) {
  if (e.event === 5) { // Alignment
    const fault = faultText(1 << e.fault) ?? 'none';
    const peak = fixed(e.peakCdeg / 100, 0);
    if (e.kind === AlignmentEventKind.Started) return { text: `${seconds(e.timeMs)}  ALERT ${fault} (${peak}°)`, level: 'alert' };
    if (e.kind === AlignmentEventKind.Corrected) return { text: `${seconds(e.timeMs)}  corrected: ${fault} (worst ${peak}°)`, level: 'ok' };
    if (e.kind === AlignmentEventKind.Reminder) return { text: `${seconds(e.timeMs)}  still ${fault}`, level: 'alert' };
    if (e.kind === AlignmentEventKind.Ended) return { text: `${seconds(e.timeMs)}  ended: ${fault} (no longer watched: the hinge is over)`, level: 'info' };
    return null;
  }
  if (e.event === 7) return { text: `${seconds(e.timeMs)}  ${cueText(e.cue, e.valueHundredths / 100)}`, level: 'info' };
  if (e.event === 4) {
    const state = e.state === SensorState.Ok ? 'ok' : e.state === SensorState.Starting ? 'starting' : 'LOST (check its cable and strap)';
    return { text: `sensor ${segmentName(e.segment)}: ${state}`, level: e.state === SensorState.Ok ? 'ok' : 'error' };
  }
  if (e.event === 3 && e.reason === 1) return { text: 'recording stopped: the device\'s storage is full', level: 'error' };
  return null;
}

/** The status record as rows of words (DeviceStatusView), for the device page. */
export function statusRows(s) {
  const sensor = (v) => (v === SensorState.Ok ? 'ok' : v === SensorState.Retrying ? 'not answering (retrying)'
    : v === SensorState.Absent ? 'not found since boot' : v === SensorState.Starting ? 'starting' : `unknown state ${v}`);
  const neutral = (s.calibrationFlags & DeviceStatus.CalNeutral) !== 0;
  const hinge = (s.calibrationFlags & DeviceStatus.CalHinge) !== 0;
  const range = (s.calibrationFlags & DeviceStatus.CalRange) !== 0;
  let calibration = !neutral ? 'not calibrated (calibrate neutral, then hinge)' : !hinge ? 'neutral only (calibrate the hinge)' : range ? 'neutral, hinge and range' : 'neutral and hinge';
  if (s.capturing >= 1 && s.capturing <= 3) calibration += `; capturing the ${['neutral', 'hinge', 'range'][s.capturing - 1]} now`;
  const recording = s.recording === RecordingState.Recording ? `recording session ${s.sessionId}`
    : s.recording === RecordingState.StoppedStorageFull ? 'stopped: storage full of sessions not downloaded (download them)' : 'idle';
  const notes = [];
  if (s.flags & DeviceStatus.FlagConfigReset) notes.push('config was unreadable: defaults in force');
  if (s.flags & DeviceStatus.FlagStorageRecovered) notes.push('torn sessions were cut at the last boot');
  if (s.flags & DeviceStatus.FlagRecordRefused) notes.push('a damaged record was refused at the last boot (calibration: calibrate again; ids and digests were recomputed)');
  if (s.flags & DeviceStatus.FlagQuiet) notes.push('quiet (no buzz)');
  if (!(s.flags & DeviceStatus.FlagTimeSet)) notes.push('clock not set');
  const rows = [
    ['battery', `${s.batteryPercent} % (${s.batteryMillivolts} mV${s.charging ? ', charging' : ''})`],
    ['head sensor', sensor(s.sensors[0])],
    ['upper-back sensor', sensor(s.sensors[1])],
    ['sacrum sensor', sensor(s.sensors[2])],
    ['calibration', calibration],
    ['recording', recording],
    ['storage', `${s.storageUsedKb} of ${s.storageTotalKb} KiB used, ${s.undownloadedSessions} session(s) not downloaded`],
    ['notes', notes.length === 0 ? '—' : notes.join('; ')],
  ];
  if (s.complete) {
    rows.push(['uptime', `${Math.floor(s.uptimeS / 86400)}.${pad(Math.floor(s.uptimeS / 3600) % 24)}:${pad(Math.floor(s.uptimeS / 60) % 60)}:${pad(s.uptimeS % 60)}`]);
    rows.push(['sensor FIFO overflows', String(s.fifoOverflows)], ['live packets dropped', String(s.liveDropped)],
      ['main-loop overruns', String(s.loopOverruns)], ['answers/events lost', String(s.controlLost)]);
  }
  return rows;
}

const pad = (n) => String(n).padStart(2, '0');
