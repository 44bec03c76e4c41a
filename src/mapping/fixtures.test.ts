/**
 * Runs every mapping fixture (`fixtures/<type>/<rule-id>-<case>.json`: `{settings?, event, expected}`)
 * and checks that every implemented cloud rule of docs/behavior.md has at least two of them (a rule
 * still planned has none yet).
 *
 * C-IDN-2, C-IDN-3, C-IDN-4, C-RACE-1, C-RACE-2 and C-TR-6 are carried out by the executor and the delivery
 * lanes; their mapping fixtures pin what the plan must carry for them (the contact identity used for
 * lookups, caching and lane ordering; the event name exactly as received). They are counted like the
 * others, so every built C-* rule needs two fixtures here; the behaviour itself is tested where it lives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRuleBook } from '../../test/rule-book.js';
import type { SegmentEvent } from '../segment/event.js';
import { isJsonObject } from '../segment/json.js';
import type { Plan } from '../intercom/operations.js';
import { mapEvent } from './map-event.js';
import { DEFAULT_MAPPING_SETTINGS, type MappingSettings } from './settings.js';

const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));
const EVENT_TYPES = new Set(['identify', 'track', 'group', 'page', 'screen', 'alias']);

interface Fixture {
  readonly file: string;
  readonly folder: string;
  readonly name: string;
  readonly settings: MappingSettings;
  readonly event: SegmentEvent;
  readonly expected: Plan;
}

function loadFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const folder of readdirSync(FIXTURES_DIR).sort()) {
    for (const file of readdirSync(join(FIXTURES_DIR, folder)).sort()) {
      if (!file.endsWith('.json')) continue;
      const data: unknown = JSON.parse(readFileSync(join(FIXTURES_DIR, folder, file), 'utf8'));
      if (!isJsonObject(data) || !isJsonObject(data['event']) || !isJsonObject(data['expected'])) {
        throw new TypeError(`${folder}/${file}: a fixture is {settings?, event, expected}`);
      }
      const settings = isJsonObject(data['settings']) ? data['settings'] : {};
      fixtures.push({
        file: `${folder}/${file}`,
        folder,
        name: file.slice(0, -'.json'.length),
        settings: { ...DEFAULT_MAPPING_SETTINGS, ...(settings as Partial<MappingSettings>) },
        event: data['event'] as unknown as SegmentEvent,
        expected: data['expected'] as unknown as Plan,
      });
    }
  }
  return fixtures;
}

/** The rule id a fixture name starts with: the longest listed id followed by `-`. */
function ruleIdOf(name: string, ids: readonly string[]): string | undefined {
  return ids.filter((id) => name.startsWith(`${id}-`)).sort((a, b) => b.length - a.length)[0];
}

const fixtures = loadFixtures();
const ruleBook = readRuleBook();
const ruleIds = ruleBook.rules.map((rule) => rule.id);
/** Cloud rules the product carries out, wholly or in part: each needs its fixtures. */
const builtCloudRuleIds = ruleBook.rules
  .filter((rule) => rule.id.startsWith('C-') && rule.status !== 'planned')
  .map((rule) => rule.id);

describe('mapping fixtures', () => {
  it.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
    expect(mapEvent(fixture.event, fixture.settings)).toEqual(fixture.expected);
  });
});

describe('fixture coverage of docs/behavior.md', () => {
  it('reads the rule ids (C-*, D-* and I-* ids)', () => {
    expect(ruleBook.problems).toEqual([]);
    expect(builtCloudRuleIds.length).toBeGreaterThanOrEqual(27);
    expect(ruleIds.filter((id) => id.startsWith('C-')).length).toBeGreaterThanOrEqual(27);
    expect(ruleIds.some((id) => id.startsWith('D-'))).toBe(true);
    expect(ruleIds.some((id) => id.startsWith('I-'))).toBe(true);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
  });

  it('names every fixture after a known rule id and keeps it in its event type folder', () => {
    for (const fixture of fixtures) {
      expect(ruleIdOf(fixture.name, ruleIds), fixture.file).toMatch(/^C-/);
      expect(EVENT_TYPES.has(fixture.folder), fixture.file).toBe(true);
      expect(fixture.event.type, fixture.file).toBe(fixture.folder);
    }
  });

  it.each(builtCloudRuleIds)('%s has at least two mapping fixtures', (id) => {
    const count = fixtures.filter((f) => ruleIdOf(f.name, ruleIds) === id).length;
    expect(count).toBeGreaterThanOrEqual(2);
  });
});
