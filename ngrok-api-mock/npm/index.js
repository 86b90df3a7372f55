'use strict';
// Runs the ngrok API emulator (the binary shipped in this package) for
// tests. `startMock()` starts it on a free loopback port and resolves to a
// handle once it answers; every wait is bounded, so an emulator that exits
// or hangs rejects with a MockError instead of stalling the test run.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const ADMIN_PREFIX = '/__mock';
const EXE = process.platform === 'win32' ? 'ngrok-api-mock.exe' : 'ngrok-api-mock';

/** Anything that went wrong with the emulator; `code` is one of `START`,
 * `CRASHED`, `TIMEOUT`, `ADMIN` (then `status` and `body` say why). */
class MockError extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.name = 'MockError';
    this.code = code;
    Object.assign(this, extra);
  }
}

/** The emulator binary: `$NGROK_API_MOCK_BIN` when set, else the one
 * shipped in this package for this platform. */
function binaryPath() {
  const override = process.env.NGROK_API_MOCK_BIN;
  if (override) {
    if (!fs.existsSync(override)) {
      throw new MockError('START', `NGROK_API_MOCK_BIN names ${override}, which does not exist`);
    }
    return override;
  }
  const platform = `${process.platform}-${process.arch}`;
  const exe = path.join(__dirname, 'native', platform, EXE);
  if (!fs.existsSync(exe)) {
    const dir = path.join(__dirname, 'native');
    const have = fs.existsSync(dir) ? fs.readdirSync(dir).join(', ') : 'none';
    throw new MockError(
      'START',
      `this ngrok-api-mock package holds no emulator for ${platform} (it has: ${have}); ` +
        'pack it on this platform, or set NGROK_API_MOCK_BIN to an ngrok-api-mock binary',
    );
  }
  return exe;
}

function describeExit(code, signal) {
  return signal ? `was killed by ${signal}` : `exited with status ${code}`;
}

class Mock {
  constructor(child, url, apiKey, adminToken, stderr, timeoutMs, tempFiles) {
    this.process = child;
    this.url = url;
    Object.defineProperty(this, '_adminToken', { value: adminToken || apiKey, enumerable: false });
    Object.defineProperty(this, 'apiKey', { value: apiKey, enumerable: false });
    this._stderr = stderr;
    this._timeoutMs = timeoutMs;
    this._tempFiles = tempFiles;
    this._exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  }

  /** Resolves when the process has exited (however it went). */
  exited() {
    this.process.ref();
    return this._exited;
  }

  /** Whether the process is still alive. */
  get running() {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** What the emulator printed on stderr (its last 8000 characters). */
  stderr() {
    return this._stderr.text;
  }

  _crashed(doing) {
    const err = this.stderr().trim();
    return new MockError(
      'CRASHED',
      `the emulator at ${this.url} ${describeExit(this.process.exitCode, this.process.signalCode)} (while ${doing})` +
        (err ? `; it printed:\n${err}` : ''),
    );
  }

  async _admin(method, sub, body) {
    const doing = `${method} ${ADMIN_PREFIX}${sub}`;
    if (!this.running) throw this._crashed(doing);
    const headers = { Authorization: `Bearer ${this._adminToken}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let resp;
    let text;
    try {
      resp = await fetch(this.url + ADMIN_PREFIX + sub, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this._timeoutMs),
      });
      text = await resp.text();
    } catch (e) {
      // Give a dying process a moment so the error says it died.
      await Promise.race([this._exited, new Promise((r) => setTimeout(r, 200))]);
      if (!this.running) throw this._crashed(doing);
      if (e && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
        throw new MockError(
          'TIMEOUT',
          `the emulator at ${this.url} did not answer ${doing} within ${this._timeoutMs} ms; ` +
            'it is running but hung (pass timeoutMs to startMock to wait longer)',
        );
      }
      throw new MockError('ADMIN', `cannot reach the emulator at ${this.url} for ${doing}: ${e && e.message}`);
    }
    if (!resp.ok) {
      let msg = text;
      try {
        msg = JSON.parse(text).msg || text;
      } catch (_) {
        // not JSON: keep the text
      }
      throw new MockError('ADMIN', `${doing} answered ${resp.status}: ${msg}`, { status: resp.status, body: text });
    }
    return text.trim() ? JSON.parse(text) : null;
  }

  /** `{ ok: true, url }`. */
  health() {
    return this._admin('GET', '/health');
  }

  /** Back to the state at start: the seed only, no journal, no faults. */
  async reset() {
    await this._admin('POST', '/reset');
  }

  /** Adds objects users cannot create through the API, in the API's
   * response shape: `seed('tunnels', {...})` resolves to the object as the
   * API shows it, `seed('tunnels', [...])` to a list, and
   * `seed({ tunnel_sessions: [...], tunnels: [...] })` to lists by accessor. */
  async seed(accessor, objects) {
    if (typeof accessor === 'object' && accessor !== null) {
      return (await this._admin('POST', '/seed', accessor)).seeded;
    }
    if (objects === undefined) throw new TypeError('seed(accessor, objects) needs the objects');
    const many = Array.isArray(objects);
    const seeded = (await this._admin('POST', '/seed', { [accessor]: many ? objects : [objects] })).seeded[accessor];
    return many ? seeded : seeded[0];
  }

  /** Scripts a fault: `{ method: 'GET', path: '/ip_policies/*', status: 503,
   * times: 3 }` (also `body`, `html`, `headers`, `delay_ms`,
   * `drop_connection`; `times: null` for every request). Resolves to the
   * pending faults. */
  async fault(spec) {
    return (await this._admin('POST', '/faults', { method: '*', path: '/**', ...spec })).faults;
  }

  /** The pending faults. */
  async faults() {
    return (await this._admin('GET', '/faults')).faults;
  }

  /** Removes every pending fault. */
  async clearFaults() {
    await this._admin('DELETE', '/faults');
  }

  /** The API requests received, oldest first (`Authorization` redacted). */
  async journal() {
    return (await this._admin('GET', '/journal')).entries;
  }

  /** Empties the journal. */
  async clearJournal() {
    await this._admin('DELETE', '/journal');
  }

  /** Moves the emulator's clock `seconds` forward (a managed certificate
   * is issued once it passes the provisioning delay); resolves to `{ now,
   * offset_seconds, cert_provisioning_delay_seconds }`. */
  advanceClock(seconds) {
    return this._admin('POST', '/clock', { advance_seconds: seconds });
  }

  /** Stops the emulator (it saves its state first when started with
   * `state`) and resolves to its exit status; killed if it does not stop
   * within `timeoutMs`. Stopping twice is harmless. */
  async stop(timeoutMs = 10000) {
    const child = this.process;
    const within = async (ms) => {
      let timer;
      const late = new Promise((r) => {
        timer = setTimeout(() => r(false), ms);
      });
      const done = await Promise.race([this._exited.then(() => true), late]);
      clearTimeout(timer);
      return done;
    };
    if (this.running) {
      child.ref(); // keep Node up until it is gone
      child.stdin.end(); // the emulator stops when its stdin closes
      if (!(await within(timeoutMs / 2))) {
        child.kill('SIGTERM');
        if (!(await within(timeoutMs / 2))) {
          child.kill('SIGKILL');
          await this._exited;
        }
      }
    }
    for (const f of this._tempFiles.splice(0)) {
      try {
        fs.unlinkSync(f);
      } catch (_) {
        // already gone
      }
    }
    return child.exitCode;
  }
}

/** Starts an emulator and resolves to its handle once it answers.
 *
 * Options mirror the command's flags: `apiKey` (default: a random key; the
 * emulator accepts only it), `adminToken`, `host`, `port` (default 0: a free
 * port), `seed` (an object in the seed format, or a JSON file's path),
 * `noDefaultSeed`, `rateLimit` (`'120/60s'`), `retryAfter`, `latencyMs`,
 * `journal`, `filterTimeoutMs`, `state` (a file to keep the state in across
 * restarts), `sync` (`'always'` or `'shutdown'`), `legacyWrites` (allow
 * writes to sunset services such as edges), `certProvisioningDelay`
 * (`'30s'`: how long a managed certificate takes, on the clock
 * `advanceClock` moves), `args` (raw flags),
 * `binary`; `startupTimeoutMs` (default 20000) bounds the start and
 * `timeoutMs` (default 10000) every admin request. */
async function startMock(options = {}) {
  const o = options;
  const exe = o.binary || binaryPath();
  const apiKey = o.apiKey !== undefined ? o.apiKey : `mock-${crypto.randomBytes(12).toString('hex')}`;
  const args = ['--port', String(o.port || 0), '--api-key', apiKey, '--exit-on-stdin-close'];
  const tempFiles = [];
  const flag = (name, value) => {
    if (value !== undefined && value !== null) args.push(name, String(value));
  };
  flag('--admin-token', o.adminToken);
  flag('--host', o.host);
  if (o.seed !== undefined && typeof o.seed === 'object') {
    const file = path.join(os.tmpdir(), `ngrok-api-mock-seed-${process.pid}-${crypto.randomBytes(6).toString('hex')}.json`);
    fs.writeFileSync(file, JSON.stringify(o.seed));
    tempFiles.push(file);
    flag('--seed', file);
  } else {
    flag('--seed', o.seed);
  }
  if (o.noDefaultSeed) args.push('--no-default-seed');
  if (o.legacyWrites) args.push('--legacy-writes');
  flag('--rate-limit', o.rateLimit);
  flag('--retry-after', o.retryAfter);
  flag('--latency-ms', o.latencyMs);
  flag('--journal', o.journal);
  flag('--filter-timeout-ms', o.filterTimeoutMs);
  flag('--state', o.state);
  flag('--sync', o.sync);
  flag('--cert-provisioning-delay', o.certProvisioningDelay);
  args.push(...(o.args || []));
  const startupTimeoutMs = o.startupTimeoutMs || 20000;
  const timeoutMs = o.timeoutMs || 10000;

  const child = spawn(exe, args, { stdio: ['pipe', 'pipe', 'pipe'], env: o.env ? { ...process.env, ...o.env } : process.env });
  const stderr = { text: '' };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr.text = (stderr.text + d).slice(-8000);
  });
  const cleanup = () => {
    for (const f of tempFiles) {
      try {
        fs.unlinkSync(f);
      } catch (_) {
        // already gone
      }
    }
  };

  const url = await new Promise((resolve, reject) => {
    let out = '';
    const fail = (why) => {
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.removeAllListeners('exit');
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // Let the last of stderr arrive before quoting it.
      setTimeout(() => {
        cleanup();
        const err = stderr.text.trim();
        reject(new MockError('START', `the emulator (${exe}) ${why}` + (err ? `; it printed:\n${err}` : '')));
      }, 100);
    };
    const timer = setTimeout(() => fail(`printed no URL within ${startupTimeoutMs} ms`), startupTimeoutMs);
    child.once('error', (e) => fail(`could not run: ${e.message}`));
    child.once('exit', (code, signal) => fail(`${describeExit(code, signal)} before it was ready`));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const line = out.slice(0, nl).trim();
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      if (line.startsWith('http')) resolve(line);
      else fail(`printed ${JSON.stringify(line)} instead of its URL`);
    });
  });

  // A handle left running does not keep Node alive; when Node exits the
  // emulator's stdin closes and it stops too.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) s.unref && s.unref();
  child.stdin.on('error', () => {});
  child.stdout.resume();

  const mock = new Mock(child, url, apiKey, o.adminToken, stderr, timeoutMs, tempFiles);
  const deadline = Date.now() + startupTimeoutMs;
  for (;;) {
    try {
      await mock.health();
      return mock;
    } catch (e) {
      if (e.code === 'CRASHED' || Date.now() > deadline) {
        await mock.stop(1000);
        throw new MockError('START', `the emulator did not become ready: ${e.message}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

module.exports = { startMock, binaryPath, MockError, Mock };
