// An independent verifier (panva/jose from npm, not written by this project): reads
// {"jwk": {...}, "tokens": [...], "typ": "vc+jwt" | null} on stdin and prints, for each
// token, {"ok": true, "payload": ...} or {"ok": false, "error": "..."}.
import { compactVerify, importJWK } from "jose";

const input = JSON.parse(await new Response(process.stdin).text());
const key = await importJWK({ ...input.jwk, alg: "EdDSA" }, "EdDSA");
const results = [];
for (const token of input.tokens) {
  try {
    const { payload, protectedHeader } = await compactVerify(token, key, { algorithms: ["EdDSA"] });
    if (input.typ && protectedHeader.typ !== input.typ) throw new Error(`typ ${protectedHeader.typ}`);
    results.push({ ok: true, header: protectedHeader, payload: new TextDecoder().decode(payload) });
  } catch (error) {
    results.push({ ok: false, error: String(error.code || error.message) });
  }
}
process.stdout.write(JSON.stringify(results));
