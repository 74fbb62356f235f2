package config

import (
	"bytes"
	"fmt"
	"text/template"
)

// fileTemplate is the kolo.yaml that `kolo init` writes: every key, with
// its default and what it does. docs/config.md says the same at length.
var fileTemplate = template.Must(template.New("kolo.yaml").Parse(`# kolo node configuration. Every key is described in docs/config.md.
# Precedence: command-line flags > KOLO_* environment variables > this file > defaults.
# A key's variable is its path in upper case with _ for dots:
# api.port is KOLO_API_PORT. Unknown keys are an error.

node:
  # The organisation that runs this node, as the network sees it.
  org: {{printf "%q" .Node.Org}}
  # ISO 3166-1 alpha-2 country code (RS, HR, BA, MK, AL, ME, XK, ...).
  country: {{printf "%q" .Node.Country}}

network:
  # Multiaddrs the libp2p host listens on (TCP and QUIC). Port 0 picks a
  # free port. Open {{.P2PPort}}/tcp and {{.P2PPort}}/udp inbound if you can
  # (docs/deploy.md).
  listen:{{template "list" .Network.Listen}}
  # Peers to dial at start, each ending in /p2p/<peer id>. An invite token
  # carries the inviter's addresses; add long-lived members here.
  bootstrap:{{template "list" .Network.Bootstrap}}
  nat:
    # Ask the office router to forward a port (UPnP / NAT-PMP).
    port_mapping: {{.Network.NAT.PortMapping}}
    # Punch through NAT to other members directly (DCUtR).
    hole_punching: {{.Network.NAT.HolePunching}}
    # Be reachable through a relay (circuit relay v2) when behind NAT.
    relay_client: {{.Network.NAT.RelayClient}}
    # Relay for other members. Only for a node with a public address.
    relay_service: {{.Network.NAT.RelayService}}

api:
  # Port of the local HTTP API on 127.0.0.1 that the kolo commands use.
  # 0 picks a free port. The bearer token is in api.token beside this file.
  port: {{.API.Port}}

log:
  # debug, info, warn or error.
  level: {{.Log.Level}}
  # text or json. Logs go to standard error.
  format: {{.Log.Format}}

store:
  # Badger's caches and memtable, in MiB. The defaults suit a 4 GB laptop.
  index_cache_mb: {{.Store.IndexCacheMB}}
  block_cache_mb: {{.Store.BlockCacheMB}}
  memtable_mb: {{.Store.MemTableMB}}

plugins:
  # Directory of external country-form plugins (relative to this file's
  # directory, or absolute). Built-in forms need nothing here.
  dir: {{printf "%q" .Plugins.Dir}}
  # A plugin call that takes longer is cancelled and the plugin restarted.
  call_timeout: {{.Plugins.CallTimeout}}

query:
  # Who may ask this node for aggregates (docs/privacy.md). Roles whose
  # members may ask: analyst, associate, partner.
  allow_roles:{{template "list" .Query.AllowRoles}}
  # If not empty, only these members may ask: peer IDs or organisation names.
  allow_requesters:{{template "list" .Query.AllowRequesters}}
  # If not empty, the only record kinds this node answers about.
  allow_kinds:{{template "list" .Query.AllowKinds}}
  # Queries one member may ask this node per day (UTC).
  max_per_day: {{.Query.MaxPerDay}}
  # Minimum cell count k (DataSHIELD's nfilter.tab): a cell, histogram bin
  # or quantile group of fewer records is suppressed. At least 3.
  nfilter_tab: {{.Query.NFilterTab}}
  # The subset rule's k (nfilter.subset): a where must select at least k
  # records and leave out none or at least k. 0 means nfilter_tab.
  nfilter_subset: {{.Query.NFilterSubset}}
  noise:
    # Discrete Laplace noise on released figures: off, on_request, always.
    mode: {{.Query.Noise.Mode}}
    # Privacy loss ε a query spends when it does not say, and at most.
    epsilon: {{.Query.Noise.Epsilon}}
    max_epsilon: {{.Query.Noise.MaxEpsilon}}
    # ε each requester may spend per period (day, month, year).
    budget: {{.Query.Noise.Budget}}
    period: {{.Query.Noise.Period}}
  # The largest query this node answers (and sends): bytes of text,
  # groups after "by", nesting of parentheses and "not" in a where.
  max_bytes: {{.Query.MaxBytes}}
  max_groups: {{.Query.MaxGroups}}
  max_nesting: {{.Query.MaxNesting}}

records:
  # Purge the personal and free-text answers of records dated more than
  # this many years ago (the daemon does it daily, after a dry run in its
  # log). 0 keeps them until kolo record purge.
  retention_years: {{.Records.RetentionYears}}

ui:
  # Serve the web interface at http://127.0.0.1:<api.port>/ui/ (kolo ui
  # prints a one-time login link). docs/ui.md says what it offers.
  enabled: {{.UI.Enabled}}
  remote:
    # Let other machines of the office network open the interface, over
    # TLS only: the address to listen on (e.g. 0.0.0.0:8443); empty is off.
    listen: {{printf "%q" .UI.Remote.Listen}}
    # PEM certificate and private key for it (relative to this file's
    # directory, or absolute); both required when listen is set.
    tls_cert: {{printf "%q" .UI.Remote.TLSCert}}
    tls_key: {{printf "%q" .UI.Remote.TLSKey}}
    # The names browsers use to reach this machine (kolo.office.lan,
    # 192.168.1.20); any other Host header is refused (DNS rebinding).
    hosts:{{template "list" .UI.Remote.Hosts}}
{{- define "list"}}
{{- /* An empty list is written [] : an empty value would mean the default. */ -}}
{{- if not .}} []
{{- else}}
{{- range .}}
    - {{printf "%q" .}}
{{- end}}
{{- end}}
{{- end}}
`))

// File renders c as a commented kolo.yaml.
func File(c Config) ([]byte, error) {
	var b bytes.Buffer
	data := struct {
		Config
		P2PPort int
	}{c, DefaultP2PPort}
	if err := fileTemplate.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", FileName, err)
	}
	return b.Bytes(), nil
}
