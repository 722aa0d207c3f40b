import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// WCAG 2.x contrast of the contributed heat and token colors in VS Code's default themes, computed
// from package.json: a color with alpha is composited over the editor background first.
// Theme colors: editor.background / editor.foreground / editor.selectionBackground of Light Modern
// and Dark Modern (theme-defaults), and of the high-contrast themes (VS Code's color registry).

interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

interface Theme {
  name: string;
  key: 'light' | 'dark' | 'highContrast' | 'highContrastLight';
  background: string;
  foreground: string;
  selection: string;
}

const THEMES: Theme[] = [
  { name: 'Light Modern', key: 'light', background: '#FFFFFF', foreground: '#3B3B3B', selection: '#ADD6FF' },
  { name: 'Dark Modern', key: 'dark', background: '#1F1F1F', foreground: '#CCCCCC', selection: '#264F78' },
  {
    name: 'Dark High Contrast',
    key: 'highContrast',
    background: '#000000',
    foreground: '#FFFFFF',
    selection: '#FFFFFF',
  },
  {
    name: 'Light High Contrast',
    key: 'highContrastLight',
    background: '#FFFFFF',
    foreground: '#292929',
    selection: '#0F4A85',
  },
];

const TEXT_MIN = 4.5;
const STEP_MIN = 1.2;
/** Hue distance (degrees) that keeps the "worked against" color apart from the selection's. */
const HUE_MIN = 45;

function parse(hex: string): Rgba {
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(hex);
  assert.ok(m, `not a #rrggbb[aa] color: ${hex}`);
  const n = (s: string, i: number) => parseInt(s.slice(i, i + 2), 16);
  const rgb = m[1] as string;
  return { r: n(rgb, 0), g: n(rgb, 2), b: n(rgb, 4), a: m[2] ? n(m[2], 0) / 255 : 1 };
}

function over(top: Rgba, bottom: Rgba): Rgba {
  const mix = (t: number, b: number) => t * top.a + b * (1 - top.a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

function luminance(c: Rgba): number {
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** HSL hue in degrees and saturation in [0, 1]. */
function hue(c: Rgba): { hue: number; saturation: number } {
  const [r, g, b] = [c.r / 255, c.g / 255, c.b / 255];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  const l = (max + min) / 2;
  const saturation = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  if (d === 0) return { hue: 0, saturation };
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return { hue: (h * 60 + 360) % 360, saturation };
}

function hueDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

type Defaults = Record<Theme['key'], string>;
const colors = new Map<string, Defaults>(
  (
    JSON.parse(fs.readFileSync(path.join(repositoryRoot(), 'package.json'), 'utf8')) as {
      contributes: { colors: { id: string; defaults: Defaults }[] };
    }
  ).contributes.colors.map((c) => [c.id, c.defaults]),
);

function composited(id: string, theme: Theme): Rgba {
  const defaults = colors.get(id);
  assert.ok(defaults, `${id} is not contributed`);
  return over(parse(defaults[theme.key]), parse(theme.background));
}

describe('contributed colors: contrast in the default themes', () => {
  it('computes WCAG ratios as the standard defines them', () => {
    assert.equal(contrast(parse('#000000'), parse('#FFFFFF')).toFixed(2), '21.00');
    assert.equal(contrast(parse('#777777'), parse('#FFFFFF')).toFixed(2), '4.48');
    // A transparent layer leaves the background; an opaque one replaces it.
    assert.equal(contrast(over(parse('#00000000'), parse('#FFFFFF')), parse('#FFFFFF')), 1);
    assert.equal(contrast(over(parse('#000000ff'), parse('#FFFFFF')), parse('#000000')), 1);
  });

  for (const theme of THEMES) {
    describe(theme.name, () => {
      const background = parse(theme.background);
      const text = parse(theme.foreground);
      for (const sign of ['positive', 'negative']) {
        const steps = [1, 2, 3, 4].map((k) => composited(`promptLens.heat.${sign}${k}`, theme));

        it(`keeps text readable on every ${sign} heat step (>= ${TEXT_MIN}:1)`, () => {
          steps.forEach((step, i) => {
            const ratio = contrast(step, text);
            assert.ok(ratio >= TEXT_MIN, `${sign}${i + 1}: text ${ratio.toFixed(2)}:1`);
          });
        });

        it(`keeps ${sign} heat steps apart from each other and the first from the background (>= ${STEP_MIN}:1)`, () => {
          const chain = [background, ...steps];
          for (let i = 1; i < chain.length; i++) {
            const ratio = contrast(chain[i] as Rgba, chain[i - 1] as Rgba);
            assert.ok(
              ratio >= STEP_MIN,
              `${sign}${i} against ${i === 1 ? 'background' : `${sign}${i - 1}`}: ${ratio.toFixed(3)}:1`,
            );
          }
        });
      }

      it('gives "worked against" a hue that cannot be taken for the selection', () => {
        const selection = hue(parse(theme.selection));
        for (let k = 1; k <= 4; k++) {
          const step = hue(composited(`promptLens.heat.negative${k}`, theme));
          assert.ok(step.saturation > 0.15, `negative${k} has no clear hue`);
          if (selection.saturation < 0.15) continue; // a grey or white selection has no hue to mistake
          const distance = hueDistance(step.hue, selection.hue);
          assert.ok(distance >= HUE_MIN, `negative${k} is ${distance.toFixed(0)}° from the selection's hue`);
        }
      });

      it("keeps the panel's probability steps visible, ordered and readable", () => {
        // high, medium, low, very low: each further from the background than the one before
        // (so the order reads without hue), each at least STEP_MIN from its neighbour, text readable.
        const steps = ['high', 'medium', 'low', 'veryLow'].map((name) => ({
          name,
          color: composited(`promptLens.probability.${name}`, theme),
        }));
        let previous = { name: 'background', color: background };
        for (const step of steps) {
          const apart = contrast(step.color, previous.color);
          assert.ok(apart >= STEP_MIN, `${step.name} vs ${previous.name}: ${apart.toFixed(3)}:1`);
          assert.ok(
            contrast(step.color, background) > contrast(previous.color, background),
            `${step.name} is not further from the background than ${previous.name}`,
          );
          const readable = contrast(step.color, text);
          assert.ok(readable >= TEXT_MIN, `${step.name}: text ${readable.toFixed(2)}:1`);
          previous = step;
        }
      });

      it('keeps alternating token backgrounds apart and text readable on both', () => {
        const first = composited('promptLens.token.background1', theme);
        const second = composited('promptLens.token.background2', theme);
        assert.ok(
          contrast(first, background) >= STEP_MIN,
          `background1 vs editor ${contrast(first, background).toFixed(3)}`,
        );
        assert.ok(
          contrast(second, first) >= STEP_MIN,
          `background2 vs background1 ${contrast(second, first).toFixed(3)}`,
        );
        for (const [name, color] of [
          ['background1', first],
          ['background2', second],
        ] as const)
          assert.ok(contrast(color, text) >= TEXT_MIN, `${name}: text ${contrast(color, text).toFixed(2)}:1`);
      });
    });
  }
});

describe('panel stylesheet: theme colors', () => {
  it('uses only Prompt Lens colors that the extension contributes', () => {
    const css = fs.readFileSync(path.join(repositoryRoot(), 'media', 'panel.css'), 'utf8');
    const used = [...css.matchAll(/--vscode-promptLens-([\w-]+)/g)].map(
      (m) => `promptLens.${(m[1] as string).replace(/-/g, '.')}`,
    );
    assert.ok(
      used.includes('promptLens.probability.veryLow'),
      'the probability steps come from theme colors',
    );
    const missing = used.filter((id) => !colors.has(id));
    assert.deepEqual(missing, []);
  });
});
