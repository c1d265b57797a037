// The pages that ask the device to do something or say how it is: calibrate (neutral, hinge,
// range, with the device's verdict), record (start, stop), and the device's status and battery.
// The sentences are the host's (words.js), so the app says what `hinge calibrate`, `hinge record`
// and `hinge device status` say.
import { DeviceStatus, RecordingState } from './protocol.js';
import { INSTRUCTIONS, calibrationMessage, statusRows } from './words.js';

const $ = (id) => document.getElementById(id);

export function setupDevicePages(app) {
  let busy = null; // what the device is doing for us now, one thing at a time like the dashboard's buttons

  const calibrateButtons = [...document.querySelectorAll('[data-calibrate]')];
  const buttons = () => [...calibrateButtons, $('record-start'), $('record-stop')];

  function refresh() {
    const c = app.client;
    const s = c && c.status;
    const connected = c && c.connected;
    for (const b of buttons()) {
      let why = !connected ? 'not connected' : busy ? `waiting for the device: ${busy}` : '';
      if (!why && b.id === 'record-start' && s && s.recording === RecordingState.Recording) why = `already recording session ${s.sessionId}`;
      if (!why && b.id === 'record-stop' && s && s.recording !== RecordingState.Recording) why = 'not recording';
      b.disabled = why !== '';
      b.title = why;
    }
    if (!s) return;
    const mark = (flag) => ((s.calibrationFlags & flag) !== 0 ? '✓' : '–');
    $('calibration-state').textContent = `calibration: neutral ${mark(DeviceStatus.CalNeutral)} · hinge ${mark(DeviceStatus.CalHinge)} · range ${mark(DeviceStatus.CalRange)}`;
    $('recording-state').textContent = s.recording === RecordingState.Recording ? `● recording session ${s.sessionId}`
      : s.recording === RecordingState.StoppedStorageFull ? 'stopped: the storage is full of sessions not downloaded' : 'not recording';
    $('battery').textContent = `${c.batteryPercent ?? s.batteryPercent} %${s.charging ? ' (charging)' : ''}`;
    const id = c.identity;
    $('device-identity').textContent = `${c.config ? c.config.deviceName : 'HingeSensor'} · ${id.model} · firmware ${id.firmware}${id.serial ? ` · ${id.serial}` : ''} · ${c.transport.description}`;
    const body = $('status-table').tBodies[0];
    body.replaceChildren(...statusRows(s).map(([label, text]) => {
      const tr = document.createElement('tr');
      for (const t of [label, text]) {
        const td = document.createElement('td');
        td.textContent = t;
        tr.appendChild(td);
      }
      return tr;
    }));
  }

  async function run(what, output, action) {
    busy = what;
    refresh();
    output.className = '';
    output.textContent = `${what} …`;
    try {
      const message = await action();
      output.className = 'ok';
      output.textContent = message;
      return true;
    } catch (e) {
      output.className = 'error';
      output.textContent = e.message;
      return false;
    } finally {
      busy = null;
      refresh();
    }
  }

  for (const b of calibrateButtons) {
    const step = b.dataset.calibrate;
    const out = document.querySelector(`[data-result="${step}"]`);
    b.addEventListener('click', () => run(`calibrating: ${step}`, out, async () => {
      const e = await app.client.calibrate(step, () => { out.textContent = `capturing: ${INSTRUCTIONS[step]}`; });
      const message = calibrationMessage(step, e);
      if (e.status !== 0) throw new Error(message);
      await app.client.readStatus(); // the flags the verdict changed
      return message;
    }));
  }

  $('record-start').addEventListener('click', () => run('starting a recording', $('record-result'), async () => `recording session ${await app.client.startRecording()}`));
  $('record-stop').addEventListener('click', () => run('stopping the recording', $('record-result'), async () => {
    await app.client.stopRecording();
    return 'recording stopped';
  }));
  $('refresh-status').addEventListener('click', async () => {
    await app.client.readStatus();
    await app.client.readBattery();
  });
  $('disconnect').addEventListener('click', async () => {
    await app.client.close();
    app.client = null;
    location.hash = '#connect';
  });

  app.onConnected.push((client) => {
    for (const name of ['status', 'battery', 'state', 'config']) client.on(name, refresh);
    refresh();
  });
  document.addEventListener('hinge:page', refresh);
}
