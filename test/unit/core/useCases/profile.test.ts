import * as assert from 'node:assert/strict';
import type { Profile } from '../../../../src/core/profile';
import {
  backendKeyOffset,
  chooseProfile,
  describeServer,
  profileOf,
  type ProfileChoiceInput,
} from '../../../../src/core/useCases/index';

const DEMO: Profile = { name: 'demo', kind: 'llama-cpp', url: 'http://127.0.0.1:8089' };
const ALEPH: Profile = { name: 'Aleph Alpha', kind: 'aleph-alpha', url: 'https://api.aleph-alpha.com' };
const base: ProfileChoiceInput = { profiles: [DEMO, ALEPH], activeName: 'demo', trusted: true };

describe('use cases: which profile a request goes to, and what the status bar says', () => {
  it("the file's backend: picks a configured profile, and the status bar says so", () => {
    const choice = chooseProfile({ ...base, requested: 'Aleph Alpha' });
    assert.equal(profileOf(choice), ALEPH);
    assert.equal(choice.setBy, 'file');
    const status = describeServer(choice);
    assert.equal(status.text, 'Aleph Alpha (set by the file)');
    assert.match(status.detail, /go to "Aleph Alpha" \(api\.aleph-alpha\.com\).*active profile is "demo"/);
    assert.equal(status.warning, false);
  });

  it('without backend: the active profile, named plainly', () => {
    const choice = chooseProfile(base);
    assert.equal(profileOf(choice), DEMO);
    assert.deepEqual(
      { text: describeServer(choice).text, setBy: choice.setBy, ignored: choice.ignored },
      { text: 'demo', setBy: 'active', ignored: undefined },
    );
    assert.match(describeServer(choice).detail, /active profile "demo" \(127\.0\.0\.1:8089\)/);
  });

  it('"Run with the active profile" ignores the file for that run', () => {
    const choice = chooseProfile({ ...base, requested: 'Aleph Alpha', ignoreFile: true });
    assert.equal(profileOf(choice), DEMO);
    assert.equal(choice.ignored, 'overridden');
  });

  it("an untrusted workspace ignores the file's backend:, and the tooltip says so", () => {
    const choice = chooseProfile({ ...base, requested: 'Aleph Alpha', trusted: false });
    assert.equal(profileOf(choice), DEMO);
    assert.equal(describeServer(choice).text, 'demo');
    assert.match(
      describeServer(choice).detail,
      /`backend: Aleph Alpha` is ignored in an untrusted workspace/,
    );
  });

  it('a backend: naming no profile is an error naming it and the profiles, never the active one', () => {
    const choice = chooseProfile({ ...base, requested: 'Aleph  Alpa' });
    assert.equal(choice.setBy, 'file');
    assert.equal(choice.profile, undefined);
    assert.throws(
      () => profileOf(choice),
      (error: Error & { kind?: string }) =>
        error.kind === 'configuration' &&
        error.message.includes(
          'names the profile "Aleph  Alpa", which is not configured (profiles: "demo", "Aleph Alpha")',
        ) &&
        /run with the active profile/.test(error.message),
    );
    const status = describeServer(choice);
    assert.equal(status.text, 'Aleph  Alpa (set by the file, not configured)');
    assert.equal(status.warning, true);
  });

  it('no usable active profile: "no profile", and an error saying to select one', () => {
    const choice = chooseProfile({ ...base, activeName: 'gone' });
    assert.equal(describeServer(choice).text, 'no profile');
    assert.throws(() => profileOf(choice), /There is no profile named "gone"\. Select a profile\./);
    assert.throws(() => profileOf(chooseProfile({ ...base, activeName: '' })), /No profile is selected/);
  });

  it('finds the backend: key in the front matter (not a body line that looks like one)', () => {
    const source = '---\n# which server\nmodel: m\nbackend: Aleph Alpha\n---\nbackend: not this one\n';
    assert.equal(backendKeyOffset(source), source.indexOf('backend: Aleph'));
    assert.equal(backendKeyOffset('---\nmodel: m\n---\nbackend: body text\n'), undefined);
    assert.equal(backendKeyOffset('no front matter'), undefined);
    assert.equal(backendKeyOffset('---\n- a list\n---\n'), undefined);
  });
});
