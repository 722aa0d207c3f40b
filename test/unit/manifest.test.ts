// What package.json promises about workspace trust and keybindings (VS Code enforces what is declared).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: {
    configuration: { properties: Record<string, { scope?: string }> };
    keybindings: { command: string; key: string; when?: string }[];
  };
}

const manifest = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe('package.json', () => {
  it('lets no workspace settings file point a profile at another server', () => {
    for (const key of ['promptLens.profiles', 'promptLens.activeProfile'])
      assert.equal(properties[key]?.scope, 'application', `${key} is a user setting only`);
  });

  it('ignores an untrusted workspace for settings that start requests or raise their cost', () => {
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of [
      'promptLens.profiles',
      'promptLens.activeProfile',
      'promptLens.inline.autoTrigger',
      'promptLens.completion.maxTokens',
      'promptLens.explain.costThreshold',
    ]) {
      assert.ok(restricted.includes(key), `${key} is restricted`);
      assert.ok(properties[key], `${key} is a declared setting`);
    }
  });

  it('leaves Alt+] / Alt+[ to cycling inline suggestions while one is shown', () => {
    const bindings = manifest.contributes.keybindings.filter((b) => b.key === 'alt+]' || b.key === 'alt+[');
    assert.equal(bindings.length, 2);
    for (const binding of bindings)
      assert.match(binding.when ?? '', /!inlineSuggestionVisible\b/, binding.command);
  });
});
