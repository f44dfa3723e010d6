/**
 * Server text a person reads loses what nobody can see (format characters,
 * tag characters, a pile of combining marks) in plain mode and in --json,
 * while the emojis to compare keep the variation selectors they need.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, feedCodes, runCli, scanOutputsAfterEach, simulator, tempDir } from './helpers.js';
import { HIDDEN_DEVICE_NAME, INVISIBLE } from '../support/invisible.js';

scanOutputsAfterEach();

/** Zero-width space, joiners, word joiner, BOM, soft hyphen, tag characters, and 60 combining acute accents. */
const DEVICE_NAME = HIDDEN_DEVICE_NAME;
/** Cloud, Heart, Umbrella, Pencil, Scissors, Telephone, Aeroplane: the seven written with U+FE0F. */
const WITH_VARIATION_SELECTOR = [21, 29, 37, 43, 45, 49, 53];


describe('headless: invisible characters from the server', () => {
  it.each([
    ['--json', ['--json']],
    ['plain', ['--plain']],
  ] as const)('%s: the device name is shown without them, the emojis with their U+FE0F', async (_, mode) => {
    const sim = await simulator();
    sim.control.seedAccount({ email: 'dora@example.com', username: 'dora', otherDeviceName: DEVICE_NAME });
    sim.control.configure({ sasNumbers: WITH_VARIATION_SELECTOR });
    const run = runCli(['--base-url', sim.url, '--email', 'dora@example.com', '--verify', 'device', ...mode], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, 'dora@example.com');
    await run.waitFor(mode[0] === '--json' ? '"step":"waiting-other-device"' : 'Waiting for');
    sim.control.otherDevice('accept');
    await run.waitFor(/Answer yes or no/);
    run.write('no');
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toMatch(INVISIBLE);
    expect(result.stderr).toContain('Pixel\u0301\u0301\u0301 8');
    // The server's name really carried them: only the output lost them.
    expect(sim.control.session().verification?.otherDevice?.name).toBe(DEVICE_NAME);
    for (const glyph of ['☁️', '❤️', '☂️', '✏️', '✂️', '☎️', '✈️']) expect(result.stdout + result.stderr).toContain(glyph);
    if (mode[0] === '--json') {
      const shown = result.events.find((event) => event.event === 'verification');
      expect(shown?.otherDevice).toBe('Pixel\u0301\u0301\u0301 8');
      expect(shown?.emojis.map((entry: { emoji: string }) => entry.emoji)).toEqual(['☁️', '❤️', '☂️', '✏️', '✂️', '☎️', '✈️']);
    }
  });
});
