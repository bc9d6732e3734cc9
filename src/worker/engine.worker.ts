/**
 * The engine worker: a thin loop (STYLE.md habit 10). All work, and the model set by set-model,
 * is in compute.ts's handler.
 */
import { createEngineHandler } from './compute';
import { isEngineRequest, type EngineResponse } from './protocol';

const handle = createEngineHandler();

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isEngineRequest(event.data)) return;
  const response: EngineResponse = handle(event.data);
  self.postMessage(response);
});
