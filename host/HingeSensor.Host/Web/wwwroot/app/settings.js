// The device's settings by the names people type (chin_drop_deg=18), with their limits in words and
// the sentence for a value out of range: the host's ConfigSettings (Client/ConfigSettings.cs) for
// the app, so that the settings page checks exactly what `hinge config set` checks, says it in the
// same words, and sends nothing the device would refuse. The limits themselves are protocol.js's
// (DeviceConfig), the device's own.
import { ConfigField, DeviceConfig as L, validateConfig } from './protocol.js';

/** A value that is not one of its kind ("abc" for a number): FormatException in the host. */
export class SettingFormatError extends Error {}

// (v / 10.0).ToString("0.#"): tenths written without a trailing zero, exactly.
function tenthsText(v) {
  const a = Math.abs(v);
  return `${v < 0 ? '-' : ''}${Math.floor(a / 10)}${a % 10 !== 0 ? `.${a % 10}` : ''}`;
}

// double.Parse with the invariant culture's Float style, then ×10 rounded half to even (Math.Round).
function fromTenths(text) {
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) throw new SettingFormatError();
  const d = Number(text.trim());
  if (!Number.isFinite(d) || Math.abs(d) > 100000) throw new SettingFormatError();
  return roundHalfEven(d * 10);
}

// int.Parse with the invariant culture's Integer style: an optional sign, digits, within Int32.
function whole(text) {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new SettingFormatError();
  const v = Number(text.trim());
  if (v > 2147483647 || v < -2147483648) throw new SettingFormatError();
  return v;
}

function roundHalfEven(x) {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function tenths(key, field, prop, min, max, unit) {
  return {
    key, field,
    get: (c) => tenthsText(c[prop]),
    set: (c, v) => { c[prop] = fromTenths(v); },
    allowed: () => `${tenthsText(min)}${unit} to ${tenthsText(max)}${unit}`,
  };
}

function wholeSetting(key, field, prop, min, max, unit) {
  return {
    key, field,
    get: (c) => String(c[prop]),
    set: (c, v) => { c[prop] = whole(v); },
    allowed: () => `${min}${unit} to ${max}${unit} (whole numbers)`,
  };
}

function rate(key, field, prop) {
  return {
    key, field,
    get: (c) => String(c[prop]),
    set: (c, v) => { c[prop] = whole(v); },
    allowed: () => `${Array.from({ length: L.ReportRateHz }, (_, i) => i + 1).filter((hz) => L.ReportRateHz % hz === 0).join(', ')} Hz (rates that divide the ${L.ReportRateHz} Hz at which the device completes its angles for reporting)`,
  };
}

// Switches share the flags field: a value other than true/false is caught when it is parsed.
function flag(key, bit) {
  return {
    key, field: ConfigField.Flags, flag: bit,
    get: (c) => ((c.flags & bit) !== 0 ? 'true' : 'false'),
    set: (c, v) => {
      const t = v.trim().toLowerCase();
      if (t !== 'true' && t !== 'false') throw new SettingFormatError();
      c.flags = t === 'true' ? c.flags | bit : c.flags & ~bit;
    },
    allowed: () => 'true or false',
  };
}

const EXERCISES = ['hinge', 'squat', 'any'];

/** Every setting, in the host's order. */
export const SETTINGS = Object.freeze([
  tenths('back_rounding_deg', ConfigField.BackRoundingDeg, 'backRoundingTenthsDeg', L.MinThresholdTenthsDeg, L.MaxThresholdTenthsDeg, '°'),
  wholeSetting('back_rounding_percent', ConfigField.BackRoundingPercent, 'backRoundingPercent', L.MinBackRoundingPercent, L.MaxBackRoundingPercent, ' % of the range'),
  flag('use_range_percent', L.FlagRangePercent),
  tenths('chin_drop_deg', ConfigField.ChinDropDeg, 'chinDropTenthsDeg', L.MinThresholdTenthsDeg, L.MaxThresholdTenthsDeg, '°'),
  tenths('head_up_deg', ConfigField.HeadUpDeg, 'headUpTenthsDeg', L.MinThresholdTenthsDeg, L.MaxThresholdTenthsDeg, '°'),
  tenths('hysteresis_deg', ConfigField.HysteresisDeg, 'hysteresisTenthsDeg', 0, L.MaxHysteresisTenthsDeg, '°'),
  wholeSetting('persistence_ms', ConfigField.PersistenceMs, 'persistenceMs', 0, L.MaxPersistenceMs, ' ms'),
  tenths('gate_open_deg', ConfigField.GateOpenDeg, 'gateOpenTenthsDeg', 0, L.MaxGateOpenTenthsDeg, '°'),
  {
    key: 'gate_close_deg', field: ConfigField.GateCloseDeg,
    get: (c) => tenthsText(c.gateCloseTenthsDeg),
    set: (c, v) => { c.gateCloseTenthsDeg = fromTenths(v); },
    allowed: (c) => `0° up to below gate_open_deg (${tenthsText(c.gateOpenTenthsDeg)}°)`,
  },
  flag('posture_mode', L.FlagPostureMode),
  tenths('reminder_s', ConfigField.ReminderS, 'reminderTenthsS', 0, L.MaxIntervalTenthsS, ' s'),
  tenths('cooldown_s', ConfigField.CooldownS, 'cooldownTenthsS', 0, L.MaxIntervalTenthsS, ' s'),
  flag('quiet', L.FlagQuiet),
  wholeSetting('haptic_intensity_percent', ConfigField.HapticIntensity, 'hapticIntensityPercent', 0, L.MaxHapticIntensityPercent, ' %'),
  rate('record_rate_hz', ConfigField.RecordRateHz, 'recordRateHz'),
  rate('live_rate_hz', ConfigField.LiveRateHz, 'liveRateHz'),
  wholeSetting('height_cm', ConfigField.HeightCm, 'heightCm', L.MinHeightCm, L.MaxHeightCm, ' cm'),
  {
    key: 'exercise', field: ConfigField.Exercise, choices: EXERCISES,
    get: (c) => (c.exercise >= 0 && c.exercise < EXERCISES.length ? EXERCISES[c.exercise] : String(c.exercise)),
    set: (c, v) => {
      const i = EXERCISES.indexOf(v.trim().toLowerCase());
      if (i < 0) throw new SettingFormatError();
      c.exercise = i;
    },
    allowed: () => 'hinge (deadlifts, RDLs, good mornings, swings: a squat earns "hips back"), squat, or any (everyday lifting: no pattern cue)',
  },
  flag('depth_cue', L.FlagDepthCue),
  flag('own_depth_target', L.FlagOwnDepth),
  tenths('depth_target_deg', ConfigField.DepthTargetDeg, 'depthTargetTenthsDeg', L.MinDepthTargetTenthsDeg, L.MaxDepthTargetTenthsDeg, '° of torso lean'),
  tenths('descent_target_s', ConfigField.DescentTargetS, 'descentTargetTenthsS', 0, L.MaxDescentTargetTenthsS, ' s (0: no tempo target)'),
  {
    key: 'device_name', field: ConfigField.DeviceName,
    get: (c) => c.deviceName,
    set: (c, v) => { c.deviceName = v; },
    allowed: () => `1 to ${L.MaxNameBytes} printable ASCII characters (letters, digits, spaces, punctuation)`,
  },
]);

export const findSetting = (key) => SETTINGS.find((s) => s.key === key) ?? null;

/** The setting a field carries; null for the flags, which several switches share. */
export const settingOf = (field) => (field === ConfigField.Flags ? null : SETTINGS.find((s) => s.field === field) ?? null);

/** "chin_drop_deg=500 is not allowed: 5° to 90°", or for fields people do not set, what the record got wrong. */
export function outOfRange(field, c) {
  const s = settingOf(field);
  if (s && c) {
    const value = s.get(c);
    if (field === ConfigField.DeviceName) return `device_name '${value}' (${value.length} characters) is not allowed: ${s.allowed(c)}`;
    return `${s.key}=${value} is not allowed: ${s.allowed(c)}`;
  }
  switch (field) {
    case ConfigField.Length: return 'the settings record has the wrong length for this device (its firmware and this hinge disagree on the format)';
    case ConfigField.Version: return 'the settings record is of a version this device does not read (update its firmware, or hinge)';
    case ConfigField.Flags: return 'the settings carry a switch this device does not know (update its firmware)';
    default: return `the settings record was refused (field ${field})`;
  }
}

/**
 * Every setting of proposed the device would refuse, each as a sentence; empty when it would take
 * them all. current (the device's settings now, valid) stands in for each refused value in turn,
 * so that one bad value does not hide the next (ConfigSettings.Check).
 */
export function checkSettings(proposed, current) {
  const problems = [];
  const c = { ...proposed };
  for (let bad = validateConfig(c); bad !== ConfigField.None; bad = validateConfig(c)) {
    problems.push(outOfRange(bad, c));
    const s = settingOf(bad);
    if (!s) break;
    s.set(c, s.get(current));
    if (problems.length > SETTINGS.length) break;
  }
  return problems;
}

/**
 * Applies key=value pairs to a copy of current, as `hinge config set` parses them: {config,
 * problems}. An unknown key or a value that is not of its kind is a problem of its own; then the
 * device's limits are checked (checkSettings).
 */
export function applySettings(current, pairs) {
  const c = { ...current };
  for (const [key, value] of pairs) {
    const s = findSetting(key);
    if (!s) return { config: null, problems: [`unknown setting '${key}'. Known: ${SETTINGS.map((k) => k.key).join(', ')}`] };
    try {
      s.set(c, value);
    } catch (e) {
      if (!(e instanceof SettingFormatError)) throw e;
      return { config: null, problems: [`'${value}' is not a value for ${s.key}: allowed ${s.allowed(c)}`] };
    }
  }
  const problems = checkSettings(c, current);
  return { config: problems.length === 0 ? c : null, problems };
}
