/**
 * Runs an Argo CD health script the way Argo CD v3.5.1 runs argocd-cm customisations (util/lua/lua.go): the
 * object as the global `obj`, only the base and table libraries (no `string`, `math`, `io`), the returned
 * table's `status`. A real Lua VM (wasmoon, Lua 5.4; Argo CD embeds gopher-lua, Lua 5.1: the scripts use only
 * what both share).
 */
import { LuaFactory } from 'wasmoon';
import type { HealthCode } from '../../model/operators/argocd';

/** A value as a Lua literal (JSON objects become tables, arrays 1-indexed sequences). */
export function luaLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `{${v.map(luaLiteral).join(', ')}}`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `[${JSON.stringify(k)}] = ${luaLiteral(x)}`).join(', ')}}`;
}

const factory = new LuaFactory();

/** The health a script gives an object. */
export async function runHealthLua(script: string, obj: unknown): Promise<{ status: HealthCode; message?: string }> {
  const lua = await factory.createEngine();
  try {
    // Argo CD opens base, table, package and a safe os only.
    await lua.doString('string = nil; math = nil; io = nil; utf8 = nil; coroutine = nil; debug = nil');
    const result = (await lua.doString(`obj = ${luaLiteral(obj)}\nlocal function check()\n${script}\nend\nreturn check()`)) as { status: HealthCode; message?: string };
    return result;
  } finally {
    lua.global.close();
  }
}
