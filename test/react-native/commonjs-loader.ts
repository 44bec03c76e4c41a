/**
 * Loads CommonJS files the way a CommonJS host (an app's Jest tests, a bundler's `require`) would,
 * with some module names answered from a table: here, `react-native` by the off-device fake and the
 * Segment library by the very instance the test's client uses.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compileFunction } from 'node:vm';

/** A CommonJS module's `module` object. */
interface CommonJsModule {
  exports: unknown;
}

/** Loads `file` and every relative file it requires; other names must be in `provided`. */
export function loadCommonJs(file: string, provided: Readonly<Record<string, unknown>>): unknown {
  const cache = new Map<string, CommonJsModule>();
  const load = (path: string): unknown => {
    const cached = cache.get(path);
    if (cached !== undefined) return cached.exports;
    const module: CommonJsModule = { exports: {} };
    cache.set(path, module);
    const run = compileFunction(
      readFileSync(path, 'utf8'),
      ['exports', 'require', 'module', '__filename', '__dirname'],
      { filename: path },
    );
    const require = (name: string): unknown => {
      if (Object.hasOwn(provided, name)) return provided[name];
      if (!name.startsWith('.'))
        throw new Error(`${path} requires ${name}, which this test does not provide`);
      const target = resolve(dirname(path), name);
      return load(target.endsWith('.js') ? target : `${target}.js`);
    };
    (run as (...args: unknown[]) => void)(module.exports, require, module, path, dirname(path));
    return module.exports;
  };
  return load(resolve(file));
}
