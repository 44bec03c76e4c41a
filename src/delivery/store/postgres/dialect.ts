import type { Param, SqlDialect } from '../sql/dialect.js';

/** PostgreSQL's spelling of the store's SQL: `$n` parameters, a boolean head flag, arrays, row locks. */
export const POSTGRES_DIALECT: SqlDialect = {
  engine: 'postgres',
  true: 'TRUE',
  false: 'FALSE',
  isSet: (column) => column,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  inList: (column, list) => `${column} = ANY(${list})`,
  // Concurrent claims (any number of processes) pass over each other's candidates instead of waiting.
  skipLockedRows: 'FOR UPDATE OF j SKIP LOCKED',
  list: (values) => (values === undefined ? null : values),
  compile(build) {
    const names: string[] = [];
    const p: Param = (name, pgType) => {
      let index = names.indexOf(name);
      if (index === -1) index = names.push(name) - 1;
      return `$${index + 1}${pgType === undefined ? '' : `::${pgType}`}`;
    };
    return { sql: build(p), names };
  },
};
