// Never run: checked by `tsc --noEmit -p js-test/types/tsconfig.node.json` (an ES module in Node).
import { AzureIotCodesError, decode, lookup, type Decoded, type Meaning } from "azure-iot-codes";

const d: Decoded = decode("401002", { service: "dps" });
const rows: Meaning[] = lookup("mqtt-connack", 5);
try {
  decode("");
} catch (e) {
  if (e instanceof AzureIotCodesError && e.kind === "empty") {
    const summary: string = `${e.input} ${d.matches[0].name} ${rows.length}`;
  }
}
