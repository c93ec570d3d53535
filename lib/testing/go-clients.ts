import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CLIENTS_CACHE, run } from "./python-clients";

const MODULE = "github.com/Arize-ai/client-go-v2";

/**
 * A small Go program (the `*.go` files of `programDir`, built with `options.tags` when given) built against Arize's Go client
 * (`github.com/Arize-ai/client-go-v2`) at `version`, and cached under the clients cache
 * (`$KEYDESK_CLIENTS_CACHE/go/…`, beside the Python environments). Returns the binary's path.
 *
 * The module's source comes from `$KEYDESK_GO_CLIENT_SRC/v<version>` through a `replace` line when
 * that variable is set (.ci/run points it at ../shared/clients/client-go-v2, for machines whose module
 * proxy does not serve the module), else from the Go module proxy. Its dependencies always come from
 * the proxy. Go must be on PATH: without it this fails and says so, never skips.
 */
/**
 * Unset variable: the first of .ci/run's candidates that holds the sources, so a plain `npm test`
 * finds them where .ci/run would (or null: the module proxy).
 */
function sourcesBesideTheClone(): string | undefined {
  const root = path.resolve(import.meta.dirname, "..", "..");
  return [path.resolve(root, "..", "shared/clients/client-go-v2"), "/work/shared/clients/client-go-v2"].find(
    (candidate) => existsSync(path.join(candidate, "v0.22.0", "go.mod")),
  );
}

export async function goClientProgram(
  programDir: string,
  version: string,
  options: { tags?: string[] } = {},
): Promise<string> {
  const files = readdirSync(programDir)
    .filter((file) => file.endsWith(".go"))
    .sort()
    .map((file) => ({ file, source: readFileSync(path.join(programDir, file), "utf8") }));
  if (!files.some((f) => f.file === "main.go")) throw new Error(`${programDir} holds no main.go`);
  const tags = options.tags ?? [];
  const src = process.env.KEYDESK_GO_CLIENT_SRC ?? sourcesBesideTheClone();
  const replace = src ? path.resolve(src, `v${version}`) : null;
  if (replace && !existsSync(path.join(replace, "go.mod"))) {
    throw new Error(`KEYDESK_GO_CLIENT_SRC is set, but ${replace} holds no go.mod of ${MODULE} v${version}`);
  }
  const name = path.basename(programDir).replace(/[^A-Za-z0-9_-]/g, "");
  const goMod = [
    `module keydesk.local/${name}`,
    "",
    "go 1.24",
    "",
    `require ${MODULE} v${version}`,
    ...(replace ? ["", `replace ${MODULE} => ${replace}`] : []),
    "",
  ].join("\n");
  const hash = createHash("sha256");
  for (const { file, source } of files) hash.update(`${file}\0${source}\0`);
  const digest = hash.update(goMod).update(tags.join(",")).digest("hex").slice(0, 12);
  const dir = path.join(CLIENTS_CACHE, "go", `${name}-v${version}-${digest}`);
  const binary = path.join(dir, name);
  const marker = path.join(dir, ".keydesk-built");
  if (existsSync(marker) && existsSync(binary)) return binary;

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const { file, source } of files) writeFileSync(path.join(dir, file), source);
  writeFileSync(path.join(dir, "go.mod"), goMod);
  const env = { ...process.env, GOFLAGS: "-mod=mod" };
  for (const args of [
    ["mod", "tidy"],
    ["build", ...(tags.length ? ["-tags", tags.join(",")] : []), "-o", binary, "."],
  ]) {
    const result = await run("go", args, { cwd: dir, env, timeoutMs: 600_000 }).catch((error: unknown) => {
      throw new Error(
        `Building ${name} against ${MODULE} v${version} needs the Go toolchain (go) on PATH: ${String(error)}`,
      );
    });
    if (result.code !== 0) {
      throw new Error(
        `go ${args.join(" ")} in ${dir} failed (${MODULE} v${version} from ${replace ?? "the module proxy"}):\n${result.stderr}` +
          (replace
            ? ""
            : "\nWhere the proxy does not serve the module, set KEYDESK_GO_CLIENT_SRC to a folder of its published sources (.ci/run: ../shared/clients/client-go-v2)."),
      );
    }
  }
  writeFileSync(marker, `${MODULE} v${version}`);
  return binary;
}
