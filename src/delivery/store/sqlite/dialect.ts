import type { Param, SqlDialect } from '../sql/dialect.js';

/** SQLite's spelling of the store's SQL: named `@parameters`, a 0/1 head flag, lists as JSON arrays. */
export const SQLITE_DIALECT: SqlDialect = {
  engine: 'sqlite',
  true: '1',
  false: '0',
  isSet: (column) => `${column} = 1`,
  greatest: (a, b) => `MAX(${a}, ${b})`,
  inList: (column, list) => `${column} IN (SELECT value FROM json_each(${list}))`,
  // One process writes an SQLite file, and its transactions run one at a time.
  skipLockedRows: '',
  list: (values) => (values === undefined ? null : JSON.stringify(values)),
  compile(build) {
    const p: Param = (name) => `@${name}`;
    return { sql: build(p), names: [] };
  },
};
