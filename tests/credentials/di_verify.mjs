// An independent verifier of the Data Integrity proofs (eddsa-rdfc-2022): Digital Bazaar's
// @digitalbazaar/vc with @digitalbazaar/eddsa-rdfc-2022-cryptosuite, offline. Reads
// {"contexts": {url: document}, "credentials": [...]} on stdin; writes one
// {"verified": bool, "error": text} per credential. The document loader serves the given
// contexts and resolves did:key verification methods from the identifier itself; any other
// URL fails (no network).
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022CryptoSuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";

const input = JSON.parse(await new Promise(resolve => {
  let data = "";
  process.stdin.on("data", chunk => { data += chunk; });
  process.stdin.on("end", () => resolve(data));
}));

function didKeyDocument(url) {
  const [did] = url.split("#");
  const fingerprint = did.slice("did:key:".length);
  const method = {
    id: `${did}#${fingerprint}`, type: "Multikey", controller: did,
    publicKeyMultibase: fingerprint,
  };
  if (url.includes("#")) return { "@context": "https://w3id.org/security/multikey/v1", ...method };
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: did, verificationMethod: [method], assertionMethod: [method.id],
    authentication: [method.id],
  };
}

// did:web documents are given (the issuer's published did.json), never fetched
function didWebDocument(url) {
  const [did, fragment] = url.split("#");
  const doc = (input.dids || {})[did];
  if (!doc || !fragment) return doc;
  const method = doc.verificationMethod.find(m => m.id === url);
  return method && { "@context": "https://w3id.org/security/multikey/v1", ...method };
}

const documentLoader = async url => {
  if (url in input.contexts) return { contextUrl: null, documentUrl: url, document: input.contexts[url] };
  if (url.startsWith("did:key:z6Mk")) return { contextUrl: null, documentUrl: url, document: didKeyDocument(url) };
  const web = url.startsWith("did:web:") && didWebDocument(url);
  if (web) return { contextUrl: null, documentUrl: url, document: web };
  throw new Error(`offline: no document ${url}`);
};

const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022CryptoSuite });
const results = [];
for (const credential of input.credentials) {
  try {
    const result = await vc.verifyCredential({
      credential, suite, documentLoader,
      checkStatus: async () => ({ verified: true }),  // revocation: peaceops verify's job
    });
    const error = result.error && (result.error.errors || [result.error]).map(e => e.message).join("; ");
    results.push({ verified: result.verified, error: error || null });
  } catch (e) {
    results.push({ verified: false, error: String(e && e.message || e) });
  }
}
process.stdout.write(JSON.stringify(results));
