// ngrok's official TypeScript client (@ngrok/ngrok-api) against the
// emulator, started through the packed `ngrok-api-mock` npm package as a
// user would install it. run.sh installs both into a scratch project.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startMock, MockError } from 'ngrok-api-mock';
import { Ngrok } from '@ngrok/ngrok-api';

let mock;
let ngrok;

before(async () => {
  mock = await startMock({ apiKey: 'node-key' });
  ngrok = new Ngrok({ apiToken: mock.apiKey, baseUrl: mock.url });
});

after(async () => {
  assert.equal(await mock.stop(), 0, 'a clean stop exits with 0');
});

beforeEach(async () => {
  await mock.reset();
});

test('create, get, update, list and delete an IP policy', async () => {
  const made = await ngrok.ipPolicies.create({ description: 'office', metadata: '{"n":1}' });
  assert.match(made.id, /^ipp_/);
  assert.equal(made.uri, `${mock.url}/ip_policies/${made.id}`);
  const got = await ngrok.ipPolicies.get(made.id);
  assert.equal(got.description, 'office');
  const changed = await ngrok.ipPolicies.update({ id: made.id, description: 'home' });
  assert.equal(changed.description, 'home');
  assert.equal(changed.metadata, '{"n":1}', 'an update keeps what it does not name');
  const rule = await ngrok.ipPolicyRules.create({ ipPolicyId: made.id, cidr: '10.0.0.0/8', action: 'allow' });
  assert.equal(rule.ipPolicy.id, made.id);
  assert.deepEqual((await ngrok.ipPolicies.list()).map((p) => p.id), [made.id]);
  await mock.clearJournal();
  await ngrok.ipPolicyRules.delete(rule.id).catch(() => {});
  const entry = (await mock.journal()).at(-1);
  assert.equal(entry.method, 'DELETE');
  assert.equal(entry.status, 204);
  await assert.rejects(ngrok.ipPolicyRules.get(rule.id), (e) => e.statusCode === 404);
});

test('errors come back in ngrok shape', async () => {
  await assert.rejects(ngrok.ipPolicies.get('ipp_missing'), (e) => {
    assert.equal(e.statusCode, 404);
    assert.equal(e.errorCode, undefined, 'the live API sends no code for a missing object');
    assert.ok(e.details.get('operationId'), 'the client camel-cases details: operation_id');
    return true;
  });
  await assert.rejects(ngrok.ipPolicies.create({ colour: 'blue' }), (e) => {
    assert.equal(e.statusCode, 400);
    assert.match(e.errorCode, /^ERR_NGROK_\d+$/);
    assert.match(e.msg, /colour/);
    return true;
  });
  const stranger = new Ngrok({ apiToken: 'wrong-key', baseUrl: mock.url });
  await assert.rejects(stranger.ipPolicies.list(), (e) => e.statusCode === 401);
});

test('seeded tunnels are listed', async () => {
  const [session] = await mock.seed('tunnel_sessions', [{ region: 'eu' }]);
  const tunnel = await mock.seed('tunnels', {
    public_url: 'https://node.ngrok.app',
    proto: 'https',
    tunnel_session: { id: session.id },
  });
  const urls = (await ngrok.tunnels.list()).map((t) => t.publicUrl);
  assert.ok(urls.includes('https://node.ngrok.app'), urls.join(', '));
  assert.equal((await ngrok.tunnelSessions.get(session.id)).region, 'eu');
  assert.match(tunnel.id, /^tn_/);
});

test('reset forgets what a test made', async () => {
  await ngrok.ipPolicies.create({ description: 'gone soon' });
  await mock.reset();
  assert.deepEqual(await mock.journal(), [], 'the journal starts empty');
  assert.deepEqual(await ngrok.ipPolicies.list(), []);
  assert.equal((await mock.journal()).length, 1);
});

test('faults reach the client', async () => {
  const made = await ngrok.ipPolicies.create({});
  const pending = await mock.fault({ method: 'GET', path: '/ip_policies/*', status: 429, times: 1 });
  assert.equal(pending.length, 1);
  await assert.rejects(ngrok.ipPolicies.get(made.id), (e) => e.statusCode === 429);
  assert.equal((await ngrok.ipPolicies.get(made.id)).id, made.id);
});

test('the clock moves a managed certificate from its job to issued', async () => {
  const other = await startMock({ certProvisioningDelay: '1h', noDefaultSeed: true });
  const client = new Ngrok({ apiToken: other.apiKey, baseUrl: other.url });
  const shown = await other.seed('reserved_domains', {
    domain: 'app.example.com',
    certificate_management_policy: { authority: 'letsencrypt' },
  });
  assert.equal(shown.certificate, null);
  assert.equal(shown.certificate_management_status.provisioning_job.error_code, null);
  const clock = await other.advanceClock(3600);
  assert.equal(clock.offset_seconds, 3600);
  const issued = await client.reservedDomains.get(shown.id);
  assert.match(issued.certificate.id, /^cert_/);
  await assert.rejects(other.advanceClock(-1), (e) => e.code === 'ADMIN' && e.status === 400);
  await other.stop();
});

test('a killed emulator is a clear error, never a hang', async () => {
  const other = await startMock();
  other.process.kill('SIGKILL');
  await other.exited();
  await assert.rejects(other.reset(), (e) => e instanceof MockError && e.code === 'CRASHED' && /SIGKILL/.test(e.message));
  await other.stop();
});

test('a hung emulator times out', async () => {
  const other = await startMock({ timeoutMs: 500 });
  other.process.kill('SIGSTOP');
  await new Promise((r) => setTimeout(r, 100));
  const began = Date.now();
  await assert.rejects(other.journal(), (e) => e.code === 'TIMEOUT' && /did not answer/.test(e.message));
  assert.ok(Date.now() - began < 5000);
  other.process.kill('SIGCONT');
  await other.stop();
});

test('bad options are a start error quoting the emulator', async () => {
  await assert.rejects(startMock({ args: ['--bogus'] }), (e) => e.code === 'START' && /unknown argument `--bogus`/.test(e.message));
});

test('the package installs the command', () => {
  const out = execFileSync('npx', ['--no-install', 'ngrok-api-mock', '--version'], { encoding: 'utf8' });
  assert.match(out, /^ngrok-api-mock \d+\.\d+\.\d+/);
});
