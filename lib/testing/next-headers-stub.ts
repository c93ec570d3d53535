/**
 * `next/headers` for dashboard code run outside a Next.js request: a cookie jar, and the request
 * headers of a browser at 203.0.113.9. In a test: `vi.mock("next/headers", () => import(…this file))`.
 */
export const jar = new Map<string, string>();

export async function cookies() {
  return {
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  };
}

export async function headers() {
  return new Headers({ "x-keydesk-peer": "203.0.113.9" });
}
