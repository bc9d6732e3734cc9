/**
 * The engine worker: a thin loop (STYLE.md habit 10). All work is in compute.ts.
 */
import { handleEngineRequest } from './compute';
import { isEngineRequest, type EngineResponse } from './protocol';

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isEngineRequest(event.data)) return;
  const response: EngineResponse = handleEngineRequest(event.data);
  self.postMessage(response);
});
