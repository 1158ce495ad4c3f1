import { ProtocolError } from '../protocol-error.js';

const DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Parses an xs:duration such as `PT20S` or `PT60.000S` into milliseconds. Years and months are
 * taken as 365 and 30 days: WS-Management timeouts never use them, but the syntax allows them.
 */
export function parseDurationMs(text: string): number {
  const trimmed = text.trim();
  const m = DURATION.exec(trimmed);
  if (m === null || trimmed === 'P' || trimmed.endsWith('T')) throw new ProtocolError(`invalid xs:duration '${text}'`);
  if (m[1] === '-') throw new ProtocolError(`negative xs:duration '${text}'`);
  const n = (i: number): number => Number(m[i] ?? 0);
  const days = n(2) * 365 + n(3) * 30 + n(4);
  const ms = (((days * 24 + n(5)) * 60 + n(6)) * 60 + n(7)) * 1000;
  if (!Number.isFinite(ms)) throw new ProtocolError(`xs:duration out of range '${text}'`);
  return Math.round(ms);
}

/** `PT7200.000S`, the form Windows uses for IdleTimeOut. */
export function formatSecondsDuration(ms: number): string {
  return `PT${(ms / 1000).toFixed(3)}S`;
}

/** `P0DT0H5M12S`, the form Windows uses for ShellRunTime and ShellInactivity. */
export function formatDayTimeDuration(ms: number): string {
  let seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return `P${days}DT${hours}H${minutes}M${seconds}S`;
}
