// Never run: checked by `tsc --noEmit -p js-test/types/tsconfig.node.json` (CommonJS in Node).
import codes = require("azure-iot-codes");

const d: codes.Decoded = codes.decode(404001);
const kind: codes.ErrorKind = "not-found";
const first: codes.Meaning = d.matches[0];
export const summary: string = `${first.mitigation} ${kind} ${codes.nextDelays(first).length}`;
