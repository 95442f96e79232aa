#!/usr/bin/env node
// Validate one FHIR R4 resource (a Bundle) read from standard input with the `fhir` package
// (FHIR.js, lantanagroup), offline, against the R4 (4.0) structure definitions it ships.
// Prints {"valid": bool, "messages": [{severity, location, message}]} on standard output and
// exits 0 when no message is an error or fatal, 1 when one is, 2 when the input is not JSON.
"use strict";

const { Fhir } = require("fhir");

function main(text) {
  let resource;
  try {
    resource = JSON.parse(text);
  } catch (error) {
    process.stdout.write(JSON.stringify({ valid: false, messages: [
      { severity: "fatal", location: "", message: `not JSON: ${error.message}` },
    ] }) + "\n");
    return 2;
  }
  const fhir = new Fhir();
  // errorOnUnexpected: a property the R4 definitions do not know is an error, not a warning.
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  const messages = result.messages.map((m) => ({
    severity: m.severity, location: m.location, message: m.message,
  }));
  const failed = messages.some((m) => m.severity === "error" || m.severity === "fatal");
  process.stdout.write(JSON.stringify({ valid: result.valid && !failed, messages }) + "\n");
  return failed ? 1 : 0;
}

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  process.exitCode = main(Buffer.concat(chunks).toString("utf8"));
});
