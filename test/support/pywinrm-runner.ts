/**
 * Runs test/interop/pywinrm_client.py (pywinrm 0.3.0 under /usr/bin/python3) and reads its result.
 * The spec format is the script's docstring.
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { asArray, asNumber, asRecord, asString, runPythonJson } from './client-env.js';

const SCRIPT = fileURLToPath(new URL('../interop/pywinrm_client.py', import.meta.url));

export interface PywinrmStep {
  op: 'run' | 'session_run_cmd' | 'session_run_ps';
  /** The command line; for session_run_ps, the PowerShell script run_ps encodes. */
  command: string;
  args?: string[];
  stdin_b64?: string;
  /** WINRS_CONSOLEMODE_STDIN; pywinrm's default is true. */
  console_mode_stdin?: boolean;
  repeat?: number;
  digest_only?: boolean;
}

export interface PywinrmSpec {
  endpoint: string;
  user: string;
  password: string;
  transport?: 'basic' | 'ntlm';
  message_encryption?: 'auto' | 'always' | 'never';
  send_cbt?: boolean;
  steps: PywinrmStep[];
}

export interface PywinrmStepResult {
  statusCode: number;
  stdout: Buffer | undefined;
  stderr: Buffer;
  stdoutSha256: string;
  stdoutLen: number;
  /** session_run_ps only: stderr as it came, before pywinrm's _clean_error_msg. */
  stderrRaw?: Buffer | undefined;
}

export interface PywinrmOutput {
  ok: boolean;
  results: PywinrmStepResult[];
  error: { class: string; message: string; httpStatus: number | null } | null;
}

export function parsePywinrmOutput(value: unknown): PywinrmOutput {
  const top = asRecord(value, 'output');
  const errorValue = top['error'];
  let error: PywinrmOutput['error'] = null;
  if (errorValue !== null) {
    const e = asRecord(errorValue, 'error');
    const status = e['http_status'];
    error = {
      class: asString(e['class'], 'error.class'),
      message: asString(e['message'], 'error.message'),
      httpStatus: typeof status === 'number' ? status : null,
    };
  }
  return {
    ok: top['ok'] === true,
    error,
    results: asArray(top['results'], 'results').map((item: unknown, i) => {
      const r = asRecord(item, `results[${i}]`);
      const stdoutB64 = r['stdout_b64'];
      const stderrRawB64 = r['stderr_raw_b64'];
      return {
        statusCode: asNumber(r['status_code'], `results[${i}].status_code`),
        stdout: typeof stdoutB64 === 'string' ? Buffer.from(stdoutB64, 'base64') : undefined,
        stderr: Buffer.from(asString(r['stderr_b64'], 'stderr_b64'), 'base64'),
        stdoutSha256: asString(r['stdout_sha256'], 'stdout_sha256'),
        stdoutLen: asNumber(r['stdout_len'], `results[${i}].stdout_len`),
        stderrRaw: typeof stderrRawB64 === 'string' ? Buffer.from(stderrRawB64, 'base64') : undefined,
      };
    }),
  };
}

export async function runPywinrmSpec(spec: PywinrmSpec): Promise<PywinrmOutput> {
  return parsePywinrmOutput(await runPythonJson(SCRIPT, spec));
}

/** The single result of a successful one-step run, with a readable failure otherwise. */
export function onlyResult(output: PywinrmOutput): PywinrmStepResult {
  expect(output.error).toBeNull();
  expect(output.results).toHaveLength(1);
  const [result] = output.results;
  if (result === undefined) throw new Error('no result');
  return result;
}

export function stdoutText(result: PywinrmStepResult): string {
  return result.stdout?.toString('utf8') ?? '';
}
