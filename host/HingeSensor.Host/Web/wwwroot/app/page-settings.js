// The settings page: every setting by its `hinge config set` name with the device's value, checked
// as the host checks them before anything is sent (settings.js: each refused value named, with
// what is allowed, and nothing sent), then written whole; what the device itself refuses comes
// back in its words, naming the setting.
import { encodeConfig } from './protocol.js';
import { SETTINGS, applySettings } from './settings.js';

const $ = (id) => document.getElementById(id);

export function setupSettings(app) {
  const fields = $('settings-fields');
  const inputs = new Map();
  for (const s of SETTINGS) {
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.textContent = s.key;
    let input;
    if (s.flag !== undefined) {
      input = document.createElement('input');
      input.type = 'checkbox';
    } else if (s.choices) {
      input = document.createElement('select');
      for (const c of s.choices) input.add(new Option(c, c));
    } else {
      input = document.createElement('input');
      input.type = 'text';
      input.autocomplete = 'off';
    }
    input.name = s.key;
    const hint = document.createElement('span');
    hint.className = 'hint';
    label.append(name, input, hint);
    fields.appendChild(label);
    inputs.set(s.key, { input, hint, setting: s });
  }

  function show(config) {
    for (const { input, hint, setting } of inputs.values()) {
      if (input.type === 'checkbox') input.checked = setting.get(config) === 'true';
      else input.value = setting.get(config);
      hint.textContent = setting.allowed(config);
    }
  }

  const problems = $('settings-problems');
  const result = $('settings-result');

  /** Sends a config record and says how the device took it. config: what the record says, for the words. */
  async function send(record, config) {
    result.className = '';
    result.textContent = 'saving on the device …';
    try {
      show(await app.client.writeConfigRecord(record, config));
      result.className = 'ok';
      result.textContent = 'saved on the device';
      return true;
    } catch (e) {
      result.className = 'error';
      result.textContent = e.message;
      return false;
    }
  }
  app.settings = { send };

  $('settings-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const current = app.client.config;
    const pairs = [...inputs.values()].map(({ input, setting }) => [setting.key, input.type === 'checkbox' ? String(input.checked) : input.value]);
    const checked = applySettings(current, pairs);
    problems.replaceChildren(...checked.problems.map((p) => {
      const li = document.createElement('li');
      li.textContent = p;
      return li;
    }));
    if (checked.problems.length > 0) {
      result.className = 'error';
      result.textContent = 'nothing changed';
      return;
    }
    await send(encodeConfig(checked.config), checked.config);
  });

  app.onConnected.push((client) => {
    show(client.config);
    client.on('config', show);
  });
}
