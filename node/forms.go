package node

import "context"

// formsPart is the node's country forms and monitoring records.
type formsPart struct{}

// startForms starts the form plugins and the records service.
func (n *Node) startForms(ctx context.Context) error { return nil }

// formsRoutes registers the forms and records endpoints of the local API.
func (n *Node) formsRoutes() {}

// closeForms stops the form plugins.
func (n *Node) closeForms() error { return nil }
