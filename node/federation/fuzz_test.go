package federation

import (
	"testing"

	"github.com/kolo-net/kolo/protocol"
)

// FuzzSealedPayload feeds what an answer's age file may hold (once opened
// by the requester) to the strict, capped decoder the requester uses: no
// panic, and what decodes re-encodes to what decodes the same.
func FuzzSealedPayload(f *testing.F) {
	seeds := []string{
		`{"format":1,"query":"` + string(make([]byte, 0)) + `","id":"","answerer":"","org":"","country":"","answer":null}`,
		`{"format":1,"query":"ab","id":"x","answerer":"12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq","org":"A","country":"RS",` +
			`"answer":{"format":1,"query":"count judgment by country","cells":[{"group":["RS"],"n":12}],"coverage":{"cells":1,"released":1,"suppressed":0},"k":5}}`,
		`{"format":1,"answer":{"format":1,"query":"q","refused":{"reason":"role","message":"m"},"cells":[],"coverage":{"cells":0,"released":0,"suppressed":0},"k":5}}`,
		`{"format":2}`, `[]`, `{"format":1,"extra":true}`,
	}
	for _, s := range seeds { // literal seeds: a count guard could not fail
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Sealed
		if err := protocol.Decode(data, maxSealed, &s); err != nil || s.Answerer == "" {
			return // receive refuses a payload that names no answerer before it keeps anything
		}
		b, err := protocol.Encode(s)
		if err != nil {
			t.Fatalf("decoded %q but cannot encode it: %v", data, err)
		}
		var again Sealed
		if err := protocol.Decode(b, maxSealed*2, &again); err != nil {
			t.Fatalf("re-encoded payload does not decode: %v\n%s", err, b)
		}
	})
}
