// The error class the module throws. wasm-bindgen copies this file next to the generated glue and
// src/error.rs re-exports the class, so `import { AzureIotCodesError } from "azure-iot-codes"` and
// `err instanceof AzureIotCodesError` work with every build target.

/** Bad input: `kind` says what was wrong, `input` names the input, `expected` what would have been accepted. */
export class AzureIotCodesError extends Error {
  constructor(message, kind, input, expected) {
    super(message);
    this.name = "AzureIotCodesError";
    this.kind = kind;
    this.input = input;
    this.expected = expected;
  }
}
