package node

import (
	"net/http"

	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/backup"
)

// BackupSource is what a backup of this running node is made of.
func (n *Node) BackupSource() backup.Source {
	return backup.Source{Home: n.cfg.Home, Store: n.store, PeerID: n.peerID.String(), Org: n.cfg.Node.Org,
		Country: n.cfg.Node.Country, AgeRecipient: n.keys.Age.Recipient().String(), Version: n.version}
}

// backupRoutes registers POST /v1/backup: with {"recipients": ["age1..."]}
// it answers the node's backup, encrypted here to those recipients, so the
// store's content leaves the daemon only encrypted.
func (n *Node) backupRoutes() {
	n.api.HandleStream("POST /v1/backup", func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Recipients []string `json:"recipients"`
		}
		if err := decodeBody(r, &in); err != nil {
			return err
		}
		src := n.BackupSource()
		if _, err := backup.CheckRecipients(in.Recipients, src.AgeRecipient); err != nil {
			return api.BadRequest(err)
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		m, err := backup.Write(r.Context(), w, src, in.Recipients)
		if err != nil {
			return err
		}
		n.log.Info("backup written", "created", m.Created)
		return nil
	})
}
