/**
 * Answers one /v1/* request, either normally or with the fault it consumed.
 * Faults that need the normal answer (empty, cut, stall, delay) build it lazily.
 */
import type { ServerResponse } from 'node:http';
import { errorForStatus } from './errors';
import type { Fault } from './faults';
import type { HostileFault } from './hostile-faults';
import { emptied, jsonReply, normalizeHeaders, pause, writeReply, type Reply, type WritePlan } from './reply';
import { requestedModel } from './routes';

/**
 * @param normal builds the healthy answer to the request
 * @param requestBody used to name the requested model in default error bodies
 */
export async function answer(
  res: ServerResponse,
  fault: Exclude<Fault, HostileFault> | undefined, // hostile faults: hostile.ts
  normal: () => Reply,
  requestBody: string,
  plan: WritePlan,
): Promise<void> {
  switch (fault?.kind) {
    case undefined:
      return writeReply(res, normal(), plan);
    case 'status':
      return writeReply(res, statusReply(fault, requestBody), plan);
    case 'reset':
      res.socket?.resetAndDestroy();
      return;
    case 'hang':
      return; // never answer; the response closes when the client (or close()) goes away
    case 'empty':
      return writeReply(res, emptied(normal()), plan);
    case 'cut':
    case 'stall':
      return writeReply(res, normal(), { ...plan, interruption: { action: fault.kind, after: fault.afterEvents } });
    case 'delay':
      if (await pause(fault.ms, plan.signal)) await writeReply(res, normal(), plan);
      return;
  }
}

/** The reply for a 'status' fault: its body as given (string or JSON), else the provider's usual error JSON. */
function statusReply(fault: Extract<Fault, { kind: 'status' }>, requestBody: string): Reply {
  const headers = fault.headers ?? {};
  if (typeof fault.body === 'string') {
    return {
      kind: 'fixed',
      status: fault.status,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...normalizeHeaders(headers) },
      body: fault.body,
    };
  }
  return jsonReply(fault.status, fault.body ?? errorForStatus(fault.status, requestedModel(requestBody)), headers);
}
