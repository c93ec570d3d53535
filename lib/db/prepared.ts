import type { Db } from "./client";

/**
 * Prepared statements built once per database handle and query shape, then run with placeholders for
 * every value: building a Drizzle query on every request is a visible share of a listing's CPU
 * (issue 11). `build` gets the statement's name, unique per shape.
 */
export function preparedPerDatabase<Shape, Query>(
  prefix: string,
  nameOf: (shape: Shape) => string,
  build: (db: Db, shape: Shape, name: string) => Query,
): (db: Db, shape: Shape) => Query {
  const cache = new WeakMap<Db, Map<string, Query>>();
  return (db, shape) => {
    const name = `${prefix}_${nameOf(shape)}`;
    let queries = cache.get(db);
    if (!queries) {
      queries = new Map();
      cache.set(db, queries);
    }
    let query = queries.get(name);
    if (query === undefined) {
      query = build(db, shape, name);
      queries.set(name, query);
    }
    return query;
  };
}
