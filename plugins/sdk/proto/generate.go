// Package formpb holds the generated Go code of form.proto, the gRPC
// protocol between kolo and its form plugins. Plugin authors do not import
// it: plugins/sdk wraps it. The generated files are committed, so building
// kolo needs neither protoc nor its Go plugins; regenerating does (see
// plugins/README.md, "Changing the wire protocol").
package formpb

//go:generate protoc --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative form.proto
