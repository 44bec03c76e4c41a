/** A value bound to a statement parameter; lists are built with `SqlDialect.list`. */
export type SqlValue = string | number | null | readonly (string | number)[];

/** The values of a statement's named parameters. */
export type SqlValues = Readonly<Record<string, SqlValue>>;

/** A statement written once for both engines (see `SqlDialect.compile`), compiled for one of them. */
export interface Statement {
  readonly sql: string;
  /** Parameter names in `$1…$n` order where the engine binds by position; empty where it binds by name. */
  readonly names: readonly string[];
}

/** Stands for the named parameter `name`; `pgType` casts it where PostgreSQL cannot infer its type. */
export type Param = (name: string, pgType?: string) => string;

/**
 * Where SQLite's and PostgreSQL's SQL differ, so that every statement of the store is written once:
 * parameter style, the head flag's type, a few functions, list membership and row locks.
 */
export interface SqlDialect {
  readonly engine: 'sqlite' | 'postgres';
  /** The head flag's literals (an INTEGER 0/1 in SQLite, a BOOLEAN in PostgreSQL). */
  readonly true: string;
  readonly false: string;
  /** `column` (a head flag) as a condition, spelt as the partial index `jobs_candidates` spells it. */
  isSet(column: string): string;
  /** The larger of two values. */
  greatest(a: string, b: string): string;
  /** `column` is one of the values of the list parameter `list` (a `Param` of a `list` value). */
  inList(column: string, list: string): string;
  /** What a claim's select ends with so that concurrent claims skip each other's rows. */
  readonly skipLockedRows: string;
  /** A list parameter's value; `undefined` is NULL. */
  list(values: readonly (string | number)[] | undefined): SqlValue;
  /** Compiles a statement whose parameters are written `${p('name')}`. */
  compile(build: (p: Param) => string): Statement;
}

/** The values of a compiled statement in `$1…$n` order (positional engines). */
export function positionalValues(statement: Statement, values: SqlValues): SqlValue[] {
  return statement.names.map((name) => {
    const value = values[name];
    // A missing value is a bug in the statement's caller, not data: say which one.
    if (value === undefined) throw new TypeError(`no value for parameter ${name}`);
    return value;
  });
}
