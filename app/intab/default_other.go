//go:build !js

package intab

// defaultBroker: natively there is no Web Worker; tests call Use.
func defaultBroker() Broker { return nil }
