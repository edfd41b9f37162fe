// Never run: checked by `tsc --noEmit -p js-test/types/tsconfig.node.json` (an ES module in Node).
import { AzureIotCodesError, classifyRetry, decode, lookup, type Decoded, type Match, type RetryAction } from "azure-iot-codes";

const d: Decoded = decode("401002", { service: "dps" });
const rows: Match[] = lookup("mqtt-connack", 5);
const next: RetryAction = classifyRetry(rows[0] ?? 5, { seed: 1 }).action;
try {
  decode("");
} catch (e) {
  if (e instanceof AzureIotCodesError && e.kind === "empty") {
    const summary: string = `${e.input} ${d.matches[0].name} ${rows.length} ${next}`;
  }
}
