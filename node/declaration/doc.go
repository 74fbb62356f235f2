// Package declaration carries the network's founding document, the
// Western Balkans CSO Declaration on combating trafficking in human beings,
// and the endorsements member organisations sign under it.
//
// The text ships with kolo (text/<version>/<language>.md); the SHA-256 of
// the English original is its identity, written into the network file and
// into every endorsement. A Ledger accepts an endorsement only if it is well
// formed, for this network's Declaration, not dated in the future, signed
// by a current member with that member's organisation and country, and its
// Ed25519 signature verifies. A revocation, signed by the endorsement's
// signer, wins over the endorsement it names in whatever order the two
// arrive. Status counts distinct member organisations against the network's
// threshold, by country.
//
// Export writes all the evidence (network file, member certificates,
// endorsements, revocations, each with its raw public key, signature and
// canonical string) as JSON, or a public HTML page; VerifyExport checks a
// JSON export offline, from the file alone.
package declaration
